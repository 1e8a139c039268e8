import { describe, expect, it } from 'vitest'
import {
  aggregate,
  axisAtAngle,
  axisStats,
  clampAxisCount,
  exampleLabelWrites,
  freezeRound,
  ghostRound,
  isRespondentId,
  labelsAreExample,
  newRespondentId,
  ownValues,
  parseScoreEntry,
  quantile,
  readLabels,
  readResponses,
  readRounds,
  scoreAtRadius,
  scoreEntry,
  scoreKey,
  withScore,
  type RadarProps,
} from './radar'

const props: RadarProps = { w: 900, h: 600, axisCount: 3, maxScore: 5, round: 1, spread: 'iqr', showNames: false, title: '' }
const ids = ['respondentAAAA', 'respondentBBBB', 'respondentCCCC', 'respondentDDDD']

describe('axis statistics', () => {
  it('takes the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(axisStats([4, 1, 3]).median).toBe(3)
    expect(axisStats([4, 1, 3, 2]).median).toBe(2.5)
  })

  it('gives quartiles by linear interpolation, and min and max', () => {
    expect(axisStats([1, 2, 3, 4, 5])).toEqual({ n: 5, median: 3, q1: 2, q3: 4, min: 1, max: 5 })
    expect(axisStats([1, 2, 3, 4])).toEqual({ n: 4, median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4 })
    expect(quantile([2], 0.25)).toBe(2)
  })

  it('has no values for an axis nobody scored', () => {
    expect(axisStats([])).toEqual({ n: 0, median: null, q1: null, q3: null, min: null, max: null })
  })
})

describe('responses and aggregate', () => {
  const meta = {
    [scoreKey(ids[0])]: { r: 1, v: [5, 4, 1] },
    [scoreKey(ids[1])]: { r: 1, v: [3, null, 2] }, // skipped axis 1
    [scoreKey(ids[2])]: { r: 1, v: [1, 2] }, // never reached axis 2
    [scoreKey(ids[3])]: { r: 1, v: [] }, // opened, scored nothing
    'label:0': 'Trust',
    unrelated: 'x',
  }

  it('counts a respondent once they scored one axis, and each axis only with its own scores', () => {
    const responses = readResponses(meta, props)
    expect(responses.map((r) => r.respondentId)).toEqual(ids.slice(0, 3))
    const result = aggregate(responses, 3)
    expect(result.respondents).toBe(3)
    expect(result.axes.map((a) => a.n)).toEqual([3, 2, 2])
    expect(result.axes.map((a) => a.median)).toEqual([3, 3, 1.5])
    expect(result.axes[0]).toMatchObject({ min: 1, max: 5, q1: 2, q3: 4 })
  })

  it('ignores scores beyond the axis count and has none yet on new axes', () => {
    const fewer = aggregate(readResponses(meta, { ...props, axisCount: 3 }), 3)
    const withFour = { ...meta, [scoreKey(ids[0])]: { r: 1, v: [5, 4, 1, 5] } }
    expect(aggregate(readResponses(withFour, props), 3)).toEqual(fewer)
    const more = aggregate(readResponses(meta, { ...props, axisCount: 5 }), 5)
    expect(more.axes).toHaveLength(5)
    expect(more.axes.slice(0, 3)).toEqual(fewer.axes)
    expect(more.axes[3]).toEqual(axisStats([]))
    expect(more.axes[4].n).toBe(0)
    // A respondent whose only scores are on removed axes no longer counts.
    const onlyLast = { [scoreKey(ids[0])]: { r: 1, v: [null, null, null, 4] } }
    expect(readResponses(onlyLast, props)).toEqual([])
    expect(readResponses(onlyLast, { ...props, axisCount: 4 })).toHaveLength(1)
  })

  it('treats malformed, out-of-range and foreign entries as missing', () => {
    const bad = {
      [scoreKey(ids[0])]: { r: 1, v: [0, 6, 'x', 3] },
      [scoreKey(ids[1])]: [1, 2, 3],
      [scoreKey(ids[2])]: { r: 'one', v: [1] },
      'score:bad id!': { r: 1, v: [3] },
      [scoreKey(ids[3])]: { r: 1, v: [Number.NaN, 2.5, null] },
    }
    const responses = readResponses(bad, { ...props, axisCount: 4 })
    expect(responses.map((r) => [r.respondentId, r.values])).toEqual([
      [ids[0], [null, null, null, 3]],
      [ids[3], [null, 2.5, null, null]],
    ])
    expect(parseScoreEntry({ r: 0, v: [] }, 5)).toBeNull()
  })

  it('counts only scores of the current round', () => {
    const meta2 = { [scoreKey(ids[0])]: { r: 1, v: [5, 5, 5] }, [scoreKey(ids[1])]: { r: 2, v: [2, 2, 2] } }
    expect(readResponses(meta2, { ...props, round: 2 }).map((r) => r.respondentId)).toEqual([ids[1]])
    expect(ownValues(meta2, ids[0], { ...props, round: 2 })).toEqual([null, null, null])
    expect(ownValues(meta2, ids[1], { ...props, round: 2 })).toEqual([2, 2, 2])
  })

  it('reveals names only when the radar shows names', () => {
    const named = { [scoreKey(ids[0])]: { r: 1, v: [3] }, [`name:${ids[0]}`]: 'Rosa' }
    expect(readResponses(named, props)[0].name).toBeUndefined()
    expect(readResponses(named, { ...props, showNames: true })[0].name).toBe('Rosa')
  })

  it('writes a compact entry and edits one axis at a time', () => {
    expect(scoreEntry(2, [3, null, null])).toEqual({ r: 2, v: [3] })
    expect(withScore([], 2, 4)).toEqual([null, null, 4])
    expect(withScore([1, 2, 3], 1, null)).toEqual([1, null, 3])
  })
})

describe('respondent ids', () => {
  it('are random, opaque and accepted by the reader', () => {
    const a = newRespondentId()
    const b = newRespondentId()
    expect(a).not.toBe(b)
    expect(isRespondentId(a)).toBe(true)
    expect(isRespondentId('user:abc')).toBe(false)
  })
})

describe('labels', () => {
  it('are empty until the group names an axis', () => {
    expect(readLabels({ 'label:1': 'Trust', 'label:9': 'gone' }, 3)).toEqual(['', 'Trust', ''])
  })

  it('loads an example set in a language, recognised as an example in any language', () => {
    const writes = exampleLabelWrites('es', 8)
    expect(writes['label:0']).toBe('Confianza')
    const labels = readLabels(writes, 8)
    expect(labelsAreExample(labels)).toBe(true)
    expect(labelsAreExample(readLabels(exampleLabelWrites('nl', 6), 6))).toBe(true)
    expect(labelsAreExample(labels.map((l, i) => (i === 3 ? 'Our own word' : l)))).toBe(false)
    expect(labelsAreExample(['', '', ''])).toBe(false)
    // More axes than the example set: the rest stay empty.
    expect(readLabels(exampleLabelWrites('en', 10), 10).slice(8)).toEqual(['', ''])
  })
})

describe('rounds', () => {
  const meta = {
    [scoreKey(ids[0])]: { r: 1, v: [5, 4, 1] },
    [scoreKey(ids[1])]: { r: 1, v: [3, null, 2] },
    [`name:${ids[0]}`]: 'Rosa',
    'label:0': 'Trust',
    'label:1': 'Roles',
  }

  it('freezes the aggregate with labels, date and n per axis, and moves scoring to the next round', () => {
    const frozen = freezeRound(meta, { ...props, showNames: true }, '  Kick-off  ', '2026-11-27')
    expect(frozen.props).toEqual({ round: 2 })
    const stored = frozen.meta['round:1'] as Record<string, unknown>
    expect(stored).toMatchObject({ label: 'Kick-off', date: '2026-11-27', maxScore: 5, respondents: 2 })
    expect(JSON.stringify(stored)).not.toContain('Rosa') // a frozen round keeps aggregates only
    const rounds = readRounds({ ...meta, ...frozen.meta })
    expect(rounds).toHaveLength(1)
    expect(rounds[0].axes.map((a) => [a.label, a.n, a.median])).toEqual([
      ['Trust', 2, 4],
      ['Roles', 1, 4],
      ['', 2, 1.5],
    ])
    // The next round starts empty: nobody has scored it yet.
    const next = { ...meta, ...frozen.meta }
    expect(readResponses(next, { ...props, round: 2 })).toEqual([])
  })

  it('lists rounds oldest first and shows the latest earlier one as the ghost', () => {
    const r1 = freezeRound(meta, props, 'First', '2026-01-10').meta
    const r2 = freezeRound(meta, { ...props, round: 2 }, 'Second', '2026-06-10').meta
    const rounds = readRounds({ ...r2, ...r1, 'round:x': {}, 'round:7': { label: 'broken' } })
    expect(rounds.map((r) => r.label)).toEqual(['First', 'Second'])
    expect(ghostRound(rounds, 3)?.label).toBe('Second')
    expect(ghostRound(rounds, 2)?.label).toBe('First')
    expect(ghostRound(rounds, 1)).toBeUndefined()
  })
})

describe('geometry helpers', () => {
  it('maps a radius to the nearest whole score and an angle to the nearest axis', () => {
    expect(scoreAtRadius(0, 5)).toBe(1)
    expect(scoreAtRadius(0.61, 5)).toBe(3)
    expect(scoreAtRadius(1.4, 5)).toBe(5)
    expect(axisAtAngle(0, 8)).toBe(0)
    expect(axisAtAngle(Math.PI / 2, 4)).toBe(1)
    expect(axisAtAngle(-0.1, 8)).toBe(0)
    expect(axisAtAngle(2 * Math.PI - 0.5, 4)).toBe(0)
    expect(axisAtAngle(Math.PI - 0.1, 4)).toBe(2)
  })

  it('keeps the axis count between 3 and 12', () => {
    expect(clampAxisCount(2)).toBe(3)
    expect(clampAxisCount(13)).toBe(12)
    expect(clampAxisCount(8)).toBe(8)
  })
})
