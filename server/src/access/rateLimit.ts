/**
 * Counting requests per key (an address, a board) in a window, in the style
 * of creationCode.ts: a key's window starts at its first counted request;
 * once `limit` requests fell in it, further ones are refused until it ends.
 * The counts live in this process's memory (a restart forgets them) and at
 * most `maxKeys` keys are tracked, so memory stays bounded whoever asks.
 *
 * Knows nothing of HTTP; addresses go through addressKey (an IPv6 address counts with its /64).
 */

/**
 * The key requests from an address are counted under: an IPv4 address as it is, an IPv6
 * address by its /64 (one home or office network gets a whole /64, so single
 * IPv6 addresses would hand out attempts by the billion), and an IPv4 address
 * written as IPv6 (`::ffff:192.0.2.1`) as the IPv4 address.
 */
export function addressKey(address: string): string {
  const plain = address.split('%')[0].toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain)
  if (mapped) return mapped[1]
  if (!plain.includes(':')) return plain
  // A trailing dotted IPv4 part fills two groups; `::` stands for as many zero groups as are missing.
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : [])
  const [head, tail = ''] = plain.split('::')
  const first = groups(head)
  const last = groups(tail)
  const all = plain.includes('::') ? [...first, ...Array<string>(Math.max(0, 8 - first.length - last.length)).fill('0'), ...last] : first
  return `${all
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`
}

/** Keys tracked at most per limiter; beyond it the oldest window is forgotten. */
export const MAX_TRACKED_KEYS = 10_000

export type RateCheck = { ok: true } | { ok: false; retryAfterMs: number }

export interface RateLimiter {
  /** Counts one request for `key`, or refuses it (not counted) when the key's window is full. */
  take(key: string): RateCheck
  /** Whether `key` could take one now, without counting it. */
  peek(key: string): RateCheck
  /** Forgets what `key` counted (e.g. wrong organiser codes once the right one came). */
  forget(key: string): void
}

export interface RateLimitOptions {
  /** Requests per window; 0: no limit. */
  limit: number
  windowMs: number
  now?: () => number
  maxKeys?: number
}

/** A limiter counting per key as given. */
export function createRateLimiter({ limit, windowMs, now = Date.now, maxKeys = MAX_TRACKED_KEYS }: RateLimitOptions): RateLimiter {
  if (limit <= 0) return { take: () => ({ ok: true }), peek: () => ({ ok: true }), forget: () => {} }
  /** Per key: when its window began and how many requests it counted. Map order is oldest first. */
  const windows = new Map<string, { since: number; count: number }>()

  const current = (key: string, time: number) => {
    const entry = windows.get(key)
    if (entry && time - entry.since >= windowMs) {
      windows.delete(key)
      return undefined
    }
    return entry
  }
  const makeRoom = (time: number) => {
    if (windows.size < maxKeys) return
    for (const [key, entry] of windows) if (time - entry.since >= windowMs) windows.delete(key)
    while (windows.size >= maxKeys) windows.delete(windows.keys().next().value!)
  }
  const peekAt = (key: string, time: number): RateCheck => {
    const entry = current(key, time)
    return entry && entry.count >= limit ? { ok: false, retryAfterMs: entry.since + windowMs - time } : { ok: true }
  }

  return {
    peek: (key) => peekAt(key, now()),
    forget: (key) => void windows.delete(key),
    take(key) {
      const time = now()
      const check = peekAt(key, time)
      if (!check.ok) return check
      const entry = windows.get(key)
      if (entry) entry.count += 1
      else {
        makeRoom(time)
        windows.set(key, { since: time, count: 1 })
      }
      return check
    },
  }
}

/** A limiter whose keys are client addresses (IPv4 as is, IPv6 by its /64). */
export function createAddressRateLimiter(options: RateLimitOptions): RateLimiter {
  const inner = createRateLimiter(options)
  return {
    take: (address) => inner.take(addressKey(address)),
    peek: (address) => inner.peek(addressKey(address)),
    forget: (address) => inner.forget(addressKey(address)),
  }
}

/** The client's address as express sees it (X-Forwarded-For only from a proxy on loopback: createApp's 'trust proxy'). */
export function requestAddress(req: { ip?: string; socket: { remoteAddress?: string } }): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown'
}

/** Seconds for a Retry-After header (at least 1). */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)))
}
