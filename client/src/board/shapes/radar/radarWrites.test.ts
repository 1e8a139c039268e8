import type { TLShape } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { radarDefaultProps } from '../../../../../shared/radarShape'
import type { RadarProps } from '../../../../../shared/radar'
import { applyRadarChange, scoreChange } from './radarWrites'

function radar(meta: Record<string, unknown> = {}, props: Partial<RadarProps> = {}) {
  return { id: 'shape:r', type: 'radar', meta, props: { ...radarDefaultProps(), ...props } } as unknown as TLShape & { meta: Record<string, unknown>; props: RadarProps }
}

const viewer = { respondentId: 'respondentAAAA', displayName: 'Rosa' }

describe('radar writes', () => {
  it("score only the scorer's own key, keeping the other axes they scored", () => {
    const shape = radar({ 'score:respondentAAAA': { r: 1, v: [3, null, 4] }, 'score:respondentBBBB': { r: 1, v: [1] }, 'label:0': 'Trust' })
    const change = scoreChange(shape, viewer, 1, 5)
    expect(change).toEqual({ meta: { 'score:respondentAAAA': { r: 1, v: [3, 5, 4] } } })
    const next = applyRadarChange(shape, change)
    expect(next.meta).toEqual({ ...shape.meta, 'score:respondentAAAA': { r: 1, v: [3, 5, 4] } })
    expect(next.props).toEqual(shape.props)
  })

  it('starts afresh in a new round and stores the name only while names are shown', () => {
    const shape = radar({ 'score:respondentAAAA': { r: 1, v: [3, 2, 4] } }, { round: 2 })
    expect(scoreChange(shape, viewer, 0, 4)).toEqual({ meta: { 'score:respondentAAAA': { r: 2, v: [4] } } })
    const named = radar({}, { showNames: true })
    expect(scoreChange(named, viewer, 2, 1)).toEqual({ meta: { 'score:respondentAAAA': { r: 1, v: [null, null, 1] }, 'name:respondentAAAA': 'Rosa' } })
  })

  it('clears a score, and removes keys named with undefined', () => {
    const shape = radar({ 'score:respondentAAAA': { r: 1, v: [3, 2] }, 'name:respondentAAAA': 'Rosa', 'name:respondentBBBB': 'Bram' })
    expect(scoreChange(shape, viewer, 1, null).meta).toEqual({ 'score:respondentAAAA': { r: 1, v: [3] } })
    const next = applyRadarChange(shape, { meta: { 'name:respondentAAAA': undefined, 'name:respondentBBBB': undefined }, props: { showNames: false } })
    expect(next.meta).toEqual({ 'score:respondentAAAA': { r: 1, v: [3, 2] } })
    expect(next.props.showNames).toBe(false)
  })
})
