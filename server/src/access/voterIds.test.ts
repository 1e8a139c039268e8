import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createVoterIssuance, VOTER_WINDOW_MS, voterIds } from './voterIds'

const secret = () => randomBytes(18).toString('base64url')

describe('voter ids', () => {
  const ids = voterIds(randomBytes(32))

  it('gives a browser the same id on a board every time, and another one on another board', () => {
    const mine = secret()
    const a = ids.issue('board-a', mine).voter
    expect(ids.issue('board-a', mine).voter).toBe(a)
    expect(ids.issue('board-b', mine).voter).not.toBe(a)
    expect(ids.issue('board-a', secret()).voter).not.toBe(a)
    expect(a).not.toContain(mine)
  })

  it('accepts only ids this server issued for this board', () => {
    const { voter } = ids.issue('board-a', secret())
    expect(ids.verify('board-a', voter)).toBe(true)
    expect(ids.verify('board-b', voter)).toBe(false)
    expect(voterIds(randomBytes(32)).verify('board-a', voter)).toBe(false)
    const [owner, signature] = voter.split('.')
    expect(ids.verify('board-a', `${owner}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`)).toBe(false)
    expect(ids.verify('board-a', `${secret()}${secret()}`.slice(0, 43) + '.' + signature)).toBe(false)
    for (const made of ['', 'made-up-voter-1xxxxxxxxx', owner, `${owner}.`, `${voter}x`]) expect(ids.verify('board-a', made)).toBe(false)
  })
})

describe('voter issuance', () => {
  const withClock = (limit: number, maxTracked?: number) => {
    let time = 5_000_000
    return { issuance: createVoterIssuance({ limit, now: () => time, maxTracked }), advance: (ms: number) => (time += ms) }
  }

  it('issues `limit` new voters per address and board in an hour; known ones always; refusals say when to retry', () => {
    const { issuance, advance } = withClock(3)
    for (const owner of ['o1', 'o2', 'o3']) expect(issuance.check('b', '203.0.113.7', owner)).toEqual({ kind: 'allowed' })
    advance(60_000)
    expect(issuance.check('b', '203.0.113.7', 'o4')).toEqual({ kind: 'too-many', retryAfterMs: VOTER_WINDOW_MS - 60_000, first: true })
    expect(issuance.check('b', '203.0.113.7', 'o5')).toMatchObject({ kind: 'too-many', first: false })
    expect(issuance.check('b', '203.0.113.7', 'o2')).toEqual({ kind: 'allowed' })
    // Another address, another board: their own counts. An IPv6 /64 is one address.
    expect(issuance.check('b', '203.0.113.8', 'o4')).toEqual({ kind: 'allowed' })
    expect(issuance.check('c', '203.0.113.7', 'o4')).toEqual({ kind: 'allowed' })
    for (const [n, address] of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:aaaa::3'].entries()) issuance.check('b', address, `v${n}`)
    expect(issuance.check('b', '2001:db8:1:2::9', 'v9').kind).toBe('too-many')
    // After the hour, the address starts afresh.
    advance(VOTER_WINDOW_MS)
    expect(issuance.check('b', '203.0.113.7', 'o4')).toEqual({ kind: 'allowed' })
  })

  it('keeps memory bounded whoever asks', () => {
    const { issuance } = withClock(1, 100)
    for (let i = 0; i < 1000; i++) issuance.check('b', `10.0.${i >> 8}.${i & 255}`, 'o')
    // The oldest were forgotten (a fresh start for them, nothing more); the newest still count.
    expect(issuance.check('b', '10.0.3.231', 'other').kind).toBe('too-many')
    expect(issuance.check('b', '10.0.0.0', 'other').kind).toBe('allowed')
  })
})
