import { describe, expect, it } from 'vitest'
import { createCreationGate, FAILURE_LIMIT, FAILURE_WINDOW_MS } from './creationCode'
import { addressKey } from './rateLimit'

const CODE = 'Gent-Cochabamba-26'

/** A gate on a clock the test moves. */
function gateWithClock(options: { limit?: number; windowMs?: number; maxAddresses?: number } = {}) {
  let time = 1_000_000
  const gate = createCreationGate(CODE, { now: () => time, ...options })
  return { gate, advance: (ms: number) => (time += ms) }
}

describe('the board creation gate', () => {
  it('lets anyone create boards when no code is configured', () => {
    const gate = createCreationGate(null)
    expect(gate.mode).toBe('open')
    expect(gate.check(undefined, '203.0.113.7')).toEqual({ kind: 'allowed' })
    expect(gate.check('anything', '203.0.113.7')).toEqual({ kind: 'allowed' })
  })

  it('asks for the code, refuses another one and lets the right one through', () => {
    const { gate } = gateWithClock()
    expect(gate.mode).toBe('code')
    expect(gate.check(undefined, '203.0.113.7')).toEqual({ kind: 'missing' })
    expect(gate.check('', '203.0.113.7')).toEqual({ kind: 'missing' })
    expect(gate.check('Gent-Cochabamba-2', '203.0.113.7')).toEqual({ kind: 'wrong', blocked: false })
    expect(gate.check(`${CODE} `, '203.0.113.7')).toEqual({ kind: 'wrong', blocked: false })
    expect(gate.check(CODE, '203.0.113.7')).toEqual({ kind: 'allowed' })
  })

  it('refuses an address for the rest of the window after too many wrong codes, even with the right one', () => {
    const { gate, advance } = gateWithClock()
    for (let i = 1; i < FAILURE_LIMIT; i++) expect(gate.check(`guess-${i}-xx`, '203.0.113.7')).toEqual({ kind: 'wrong', blocked: false })
    expect(gate.check('last-guess', '203.0.113.7')).toEqual({ kind: 'wrong', blocked: true })
    expect(gate.check('one-more', '203.0.113.7')).toEqual({ kind: 'too-many', retryAfterMs: FAILURE_WINDOW_MS })
    advance(60_000)
    expect(gate.check(CODE, '203.0.113.7')).toEqual({ kind: 'too-many', retryAfterMs: FAILURE_WINDOW_MS - 60_000 })
    // Not asking with a code is not trying one: the browser still learns that a code is needed.
    expect(gate.check(undefined, '203.0.113.7')).toEqual({ kind: 'missing' })
    // The window runs from the first wrong code; once it is over the address may try again.
    advance(FAILURE_WINDOW_MS - 60_000 - 1)
    expect(gate.check(CODE, '203.0.113.7').kind).toBe('too-many')
    advance(1)
    expect(gate.check(CODE, '203.0.113.7')).toEqual({ kind: 'allowed' })
  })

  it('never lets one address use up the attempts of another', () => {
    const { gate } = gateWithClock()
    for (let i = 0; i < FAILURE_LIMIT + 3; i++) gate.check(`guess-${i}-xx`, '198.51.100.23')
    expect(gate.check('guess-again', '198.51.100.23').kind).toBe('too-many')
    expect(gate.check(CODE, '203.0.113.7')).toEqual({ kind: 'allowed' })
    expect(gate.check('a-typo-here', '203.0.113.7')).toEqual({ kind: 'wrong', blocked: false })
  })

  it('forgets earlier typos once the right code comes from that address', () => {
    const { gate } = gateWithClock()
    for (let i = 1; i < FAILURE_LIMIT; i++) gate.check(`typo-${i}-xxxx`, '203.0.113.7')
    expect(gate.check(CODE, '203.0.113.7')).toEqual({ kind: 'allowed' })
    for (let i = 1; i < FAILURE_LIMIT; i++) expect(gate.check(`typo-${i}-xxxx`, '203.0.113.7')).toEqual({ kind: 'wrong', blocked: false })
  })

  it('counts an IPv6 network (/64) as one address, and IPv4 written as IPv6 as the IPv4 address', () => {
    const { gate } = gateWithClock({ limit: 2 })
    gate.check('guess-one-xx', '2001:db8:aa:bb::1')
    expect(gate.check('guess-two-xx', '2001:db8:aa:bb:ffff:1:2:3')).toEqual({ kind: 'wrong', blocked: true })
    expect(gate.check(CODE, '2001:0db8:00aa:00bb:0:0:0:9').kind).toBe('too-many')
    expect(gate.check(CODE, '2001:db8:aa:bc::1')).toEqual({ kind: 'allowed' })

    gate.check('guess-one-xx', '::ffff:192.0.2.1')
    gate.check('guess-two-xx', '192.0.2.1')
    expect(gate.check(CODE, '192.0.2.1').kind).toBe('too-many')
    expect(gate.check(CODE, '192.0.2.2')).toEqual({ kind: 'allowed' })
  })

  it('keeps memory bounded when many addresses try at once', () => {
    const { gate } = gateWithClock({ limit: 1, maxAddresses: 3 })
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) gate.check('guess-xxxxxx', address)
    expect(gate.check('guess-xxxxxx', '10.0.0.1').kind).toBe('too-many')
    // A fourth address pushes out the oldest, which may try again: a fresh start, not a way in.
    gate.check('guess-xxxxxx', '10.0.0.4')
    expect(gate.check('guess-xxxxxx', '10.0.0.1')).toEqual({ kind: 'wrong', blocked: true })
    expect(gate.check('guess-xxxxxx', '10.0.0.4').kind).toBe('too-many')
  })
})

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-in-IPv6 and shortens IPv6 to its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('::FFFF:203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:DB8:0:0:1::')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:0db8:0001:0002:0003:0004:0005:0006')).toBe('2001:db8:1:2::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('unknown')).toBe('unknown')
  })
})
