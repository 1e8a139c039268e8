/**
 * Who may create boards. Without an organiser code (BOARD_CREATION_CODE unset)
 * anyone who reaches the server may, as always; with one, a creation request
 * must present it. Board links never need it: this guards creation only.
 *
 * Wrong codes are counted per address so the code cannot be found by trying:
 * after FAILURE_LIMIT wrong codes within FAILURE_WINDOW_MS of the first one,
 * that address is refused (even with the right code, or trying would go on)
 * until the window ends. Other addresses are unaffected, so nobody can lock the
 * organisers out from elsewhere. The counts live in this process's memory: a
 * restart forgets them, which is fine for the single-process server.
 *
 * Knows nothing of HTTP: the route hands over the code it received and the address.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** Wrong codes one address may present within FAILURE_WINDOW_MS. */
export const FAILURE_LIMIT = 5
/** How long wrong codes count, from an address's first one (the client's message says "15 minutes"). */
export const FAILURE_WINDOW_MS = 15 * 60_000
/** Addresses tracked at most; beyond it the oldest is forgotten, so memory stays bounded whoever tries. */
export const MAX_TRACKED_ADDRESSES = 10_000

/** The outcome for one creation request. */
export type CreationCheck =
  | { kind: 'allowed' }
  /** A code is needed and none came. Not counted: it is how a browser learns to ask. */
  | { kind: 'missing' }
  /** Counted; `blocked` when this one used up the address's attempts. */
  | { kind: 'wrong'; blocked: boolean }
  /** The address used up its attempts; it may try again after `retryAfterMs`. */
  | { kind: 'too-many'; retryAfterMs: number }

export interface CreationGate {
  /** 'code' when creating boards needs the organiser code. */
  readonly mode: 'open' | 'code'
  /** Checks the presented code (undefined or '' when none) from `address`, counting a wrong one. */
  check(presented: string | undefined, address: string): CreationCheck
}

export interface CreationGateOptions {
  now?: () => number
  limit?: number
  windowMs?: number
  maxAddresses?: number
}

/**
 * The key failures are counted under: an IPv4 address as it is, an IPv6
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

/** Both sides hashed first so the comparison takes the same time whatever the lengths and contents. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** A gate for `code` (null: anyone may create boards). */
export function createCreationGate(code: string | null, options: CreationGateOptions = {}): CreationGate {
  if (code === null) return { mode: 'open', check: () => ({ kind: 'allowed' }) }
  const { now = Date.now, limit = FAILURE_LIMIT, windowMs = FAILURE_WINDOW_MS, maxAddresses = MAX_TRACKED_ADDRESSES } = options
  const expected = digest(code)
  /** Per address key: when its first counted failure was, and how many since. Map order is oldest first. */
  const failures = new Map<string, { since: number; count: number }>()

  const current = (key: string, time: number) => {
    const entry = failures.get(key)
    if (entry && time - entry.since >= windowMs) {
      failures.delete(key)
      return undefined
    }
    return entry
  }

  const makeRoom = (time: number) => {
    if (failures.size < maxAddresses) return
    for (const [key, entry] of failures) if (time - entry.since >= windowMs) failures.delete(key)
    // Still full: many addresses failing at once. Forgetting the oldest gives one of them a fresh start, nothing more.
    while (failures.size >= maxAddresses) failures.delete(failures.keys().next().value!)
  }

  return {
    mode: 'code',
    check(presented, address) {
      if (presented === undefined || presented === '') return { kind: 'missing' }
      const time = now()
      const key = addressKey(address)
      const entry = current(key, time)
      if (entry && entry.count >= limit) return { kind: 'too-many', retryAfterMs: entry.since + windowMs - time }
      if (timingSafeEqual(digest(presented), expected)) {
        // The organiser got it right in the end: earlier typos no longer count against them.
        failures.delete(key)
        return { kind: 'allowed' }
      }
      if (entry) {
        entry.count += 1
        return { kind: 'wrong', blocked: entry.count >= limit }
      }
      makeRoom(time)
      failures.set(key, { since: time, count: 1 })
      return { kind: 'wrong', blocked: limit <= 1 }
    },
  }
}
