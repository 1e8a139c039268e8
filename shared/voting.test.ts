import { describe, expect, it } from 'vitest'
import { applyBallot, groupNames, parseBallot, parseStartVote, parseVoterRequest, tally, votesUsed, type Vote } from './voting'

const vote = (over: Partial<Vote> = {}): Vote => ({
  id: 'v1',
  title: '',
  items: ['shape:a', 'shape:b', 'shape:c'],
  perPerson: 3,
  onePerItem: false,
  anonymous: true,
  endsAt: null,
  status: 'open',
  startedAt: 0,
  ...over,
})

function cast(v: Vote, steps: [string, 1 | -1][], now = 1): { mine: Record<string, number>; refused: string[] } {
  let mine: Record<string, number> = {}
  const refused: string[] = []
  for (const [id, delta] of steps) {
    const r = applyBallot(v, mine, id, delta, now)
    if (r.ok) mine = r.value
    else refused.push(r.error)
  }
  return { mine, refused }
}

describe('ballots', () => {
  it('spends at most the votes a person has, and gives them back', () => {
    const { mine, refused } = cast(vote(), [['shape:a', 1], ['shape:a', 1], ['shape:b', 1], ['shape:c', 1], ['shape:a', -1], ['shape:c', 1]])
    expect(refused).toEqual(['no-votes-left'])
    expect(mine).toEqual({ 'shape:a': 1, 'shape:b': 1, 'shape:c': 1 })
    expect(votesUsed(mine)).toBe(3)
  })

  it('allows one vote per item when asked, and refuses items outside the vote', () => {
    expect(cast(vote({ onePerItem: true }), [['shape:a', 1], ['shape:a', 1]]).refused).toEqual(['one-per-item'])
    expect(cast(vote(), [['shape:zzz', 1]]).refused).toEqual(['not-an-item'])
    expect(cast(vote(), [['shape:a', -1]]).refused).toEqual(['nothing-to-take-back'])
  })

  it('refuses ballots once the vote is closed, revealed or past its end time', () => {
    expect(cast(vote({ status: 'closed' }), [['shape:a', 1]]).refused).toEqual(['vote-not-open'])
    expect(cast(vote({ status: 'revealed' }), [['shape:a', 1]]).refused).toEqual(['vote-not-open'])
    expect(cast(vote({ endsAt: 100 }), [['shape:a', 1]], 100).refused).toEqual(['vote-not-open'])
    expect(cast(vote({ endsAt: 100 }), [['shape:a', 1]], 99).refused).toEqual([])
  })
})

describe('tally', () => {
  const ballots = [
    { voter: 'x', name: 'Ana', shapeId: 'shape:b', count: 2 },
    { voter: 'x', name: 'Ana', shapeId: 'shape:a', count: 1 },
    { voter: 'y', name: 'Bram', shapeId: 'shape:a', count: 1 },
    { voter: 'y', name: 'Bram', shapeId: 'shape:c', count: 1 },
    { voter: 'z', name: 'Carla', shapeId: 'shape:gone', count: 3 },
    { voter: 'w', name: 'Dirk', shapeId: 'shape:c', count: 0 },
  ]
  it('ranks items by votes, ties in item order, counting voters, without names when anonymous', () => {
    expect(tally(vote(), ballots)).toEqual({
      results: [
        { shapeId: 'shape:a', count: 2 },
        { shapeId: 'shape:b', count: 2 },
        { shapeId: 'shape:c', count: 1 },
      ],
      voters: 2,
    })
  })
  it('names the voters of each item for a vote with names', () => {
    expect(tally(vote({ anonymous: false }), ballots).results[0]).toEqual({ shapeId: 'shape:a', count: 2, names: ['Ana', 'Bram'] })
  })
  it('keeps one name per voter: two voters who give the same name are two entries, shown as "Ana (2)"', () => {
    const twice = [...ballots, { voter: 'v', name: 'Ana', shapeId: 'shape:a', count: 1 }]
    const { results, voters } = tally(vote({ anonymous: false }), twice)
    expect(voters).toBe(3)
    expect(results[0]).toEqual({ shapeId: 'shape:a', count: 3, names: ['Ana', 'Ana', 'Bram'] })
    expect(groupNames(results[0].names!)).toEqual([{ name: 'Ana', voters: 2 }, { name: 'Bram', voters: 1 }])
  })
})

describe('request bodies', () => {
  it('names the field that is wrong', () => {
    expect(parseStartVote({ items: [], perPerson: 3 })).toMatchObject({ ok: false, error: { field: 'items' } })
    expect(parseStartVote({ items: ['shape:a'], perPerson: 0 })).toMatchObject({ ok: false, error: { field: 'perPerson' } })
    expect(parseStartVote({ items: ['shape:a'], perPerson: 2, owner: 'me' })).toMatchObject({ ok: false, error: { field: 'owner' } })
    expect(parseStartVote({ items: ['shape:a', 'shape:a'], perPerson: 2 })).toMatchObject({ ok: true, value: { items: ['shape:a'], anonymous: true, onePerItem: false } })
    expect(parseBallot({ voter: '', shapeId: 'shape:a', delta: 1 })).toMatchObject({ ok: false, error: { field: 'voter' } })
    expect(parseBallot({ voter: 'v'.repeat(201), shapeId: 'shape:a', delta: 1 })).toMatchObject({ ok: false, error: { field: 'voter' } })
    expect(parseVoterRequest({ secret: 'short' })).toMatchObject({ ok: false, error: { field: 'secret' } })
    expect(parseVoterRequest({ secret: 's'.repeat(24), voter: 'x' })).toMatchObject({ ok: false, error: { field: 'voter' } })
    expect(parseVoterRequest({ secret: 's'.repeat(24) })).toEqual({ ok: true, value: { secret: 's'.repeat(24) } })
    expect(parseBallot({ voter: 'v'.repeat(22), shapeId: 'shape:a', delta: 2 })).toMatchObject({ ok: false, error: { field: 'delta' } })
  })
})
