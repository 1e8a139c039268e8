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
import { addressKey, createRateLimiter } from './rateLimit'

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

/** Both sides hashed first so the comparison takes the same time whatever the lengths and contents. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** A gate for `code` (null: anyone may create boards). */
export function createCreationGate(code: string | null, options: CreationGateOptions = {}): CreationGate {
  if (code === null) return { mode: 'open', check: () => ({ kind: 'allowed' }) }
  const { now = Date.now, limit = FAILURE_LIMIT, windowMs = FAILURE_WINDOW_MS, maxAddresses = MAX_TRACKED_ADDRESSES } = options
  const expected = digest(code)
  /** Wrong codes per address key (the same windowed counter as every per-address limit). */
  const failures = createRateLimiter({ limit, windowMs, now, maxKeys: maxAddresses })

  return {
    mode: 'code',
    check(presented, address) {
      if (presented === undefined || presented === '') return { kind: 'missing' }
      const key = addressKey(address)
      const before = failures.peek(key)
      if (!before.ok) return { kind: 'too-many', retryAfterMs: before.retryAfterMs }
      if (timingSafeEqual(digest(presented), expected)) {
        // The organiser got it right in the end: earlier typos no longer count against them.
        failures.forget(key)
        return { kind: 'allowed' }
      }
      failures.take(key)
      return { kind: 'wrong', blocked: !failures.peek(key).ok }
    },
  }
}
