import { describe, expect, it } from 'vitest'
import { createAddressRateLimiter, createRateLimiter } from './rateLimit'

function limiterWithClock(limit: number, windowMs = 60_000, maxKeys?: number) {
  let time = 1_000_000
  const limiter = createRateLimiter({ limit, windowMs, now: () => time, maxKeys })
  return { limiter, advance: (ms: number) => (time += ms) }
}

describe('rate limiter', () => {
  it('counts per key and refuses beyond the limit until the window from the first request ends', () => {
    const { limiter, advance } = limiterWithClock(3)
    for (let i = 0; i < 3; i++) expect(limiter.take('a')).toEqual({ ok: true })
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 60_000 })
    expect(limiter.take('b')).toEqual({ ok: true })
    advance(59_000)
    expect(limiter.peek('a')).toEqual({ ok: false, retryAfterMs: 1_000 })
    advance(1_000)
    expect(limiter.take('a')).toEqual({ ok: true })
  })

  it('peek does not count', () => {
    const { limiter } = limiterWithClock(1)
    expect(limiter.peek('a')).toEqual({ ok: true })
    expect(limiter.peek('a')).toEqual({ ok: true })
    expect(limiter.take('a')).toEqual({ ok: true })
    expect(limiter.peek('a').ok).toBe(false)
  })

  it('limit 0 means no limit', () => {
    const { limiter } = limiterWithClock(0)
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toEqual({ ok: true })
  })

  it('keeps at most maxKeys windows', () => {
    const { limiter } = limiterWithClock(1, 60_000, 2)
    limiter.take('a')
    limiter.take('b')
    limiter.take('c') // forgets a
    expect(limiter.peek('a')).toEqual({ ok: true })
    expect(limiter.peek('c').ok).toBe(false)
  })

  it('counts an IPv6 address with its /64 and a mapped IPv4 address as the IPv4 one', () => {
    const limiter = createAddressRateLimiter({ limit: 1, windowMs: 60_000 })
    expect(limiter.take('2001:db8:1:2::1').ok).toBe(true)
    expect(limiter.take('2001:db8:1:2:ffff::9').ok).toBe(false)
    expect(limiter.take('192.0.2.1').ok).toBe(true)
    expect(limiter.take('::ffff:192.0.2.1').ok).toBe(false)
  })
})
