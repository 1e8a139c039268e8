/**
 * Voter ids for dot voting, issued by the server so no link holder can make
 * up as many as they like (issue #12, finding 7). There are no accounts: a
 * browser keeps a random secret per board and asks for its voter id; the id
 * is `<owner>.<signature>`, where `owner` is the SHA-256 of that secret and
 * the signature an HMAC of board and owner under a key only the server holds.
 * So the same browser always gets the same id on the same board (reloads,
 * reconnections, another address), an id cannot be forged or carried to
 * another board, and the server needs to remember nothing to check one.
 *
 * What bounds ballot stuffing is issuance: one address gets at most `limit`
 * new voter ids per board within `windowMs` of its first one. Ids it was
 * already issued in that window do not count again. Counts live in this
 * process's memory, like the organiser code's (creationCode.ts): a restart
 * forgets them. Knows nothing of HTTP.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { addressKey } from './rateLimit'

/** How long new voter ids count against an address, from its first one. */
export const VOTER_WINDOW_MS = 60 * 60_000
/** Address and board pairs tracked at most; beyond it the oldest is forgotten, so memory stays bounded. */
export const MAX_TRACKED_ISSUERS = 10_000
/** A browser's per-board secret, as it sends it to be issued a voter id. */
export const VOTER_SECRET_PATTERN = /^[A-Za-z0-9_-]{22,64}$/
/** Characters of an owner kept to recognise an id issued again within the window (96 bits). */
const OWNER_PREFIX = 16

const VOTER_ID = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/

/** Signs and checks voter ids with the server's key. */
export interface VoterIds {
  /** The id of the browser holding `secret` on `boardId`, and its owner (what counts against the address). */
  issue(boardId: string, secret: string): { voter: string; owner: string }
  /** True only for an id this server issued for `boardId`. */
  verify(boardId: string, voter: string): boolean
}

export function voterIds(key: Uint8Array): VoterIds {
  const sign = (boardId: string, owner: string) => createHmac('sha256', key).update(`voter\n${boardId}\n${owner}`).digest('base64url')
  return {
    issue(boardId, secret) {
      const owner = createHash('sha256').update(secret).digest('base64url')
      return { voter: `${owner}.${sign(boardId, owner)}`, owner }
    },
    verify(boardId, voter) {
      const match = VOTER_ID.exec(voter)
      if (!match) return false
      return timingSafeEqual(Buffer.from(sign(boardId, match[1])), Buffer.from(match[2]))
    },
  }
}

/** The outcome of one request for a voter id. */
export type IssueCheck =
  | { kind: 'allowed' }
  /** The address had `limit` new voters on this board in the window; `first` for the first refusal of the window (log once). */
  | { kind: 'too-many'; retryAfterMs: number; first: boolean }

export interface VoterIssuance {
  check(boardId: string, address: string, owner: string): IssueCheck
}

export interface VoterIssuanceOptions {
  limit: number
  windowMs?: number
  now?: () => number
  maxTracked?: number
}

export function createVoterIssuance({ limit, windowMs = VOTER_WINDOW_MS, now = Date.now, maxTracked = MAX_TRACKED_ISSUERS }: VoterIssuanceOptions): VoterIssuance {
  /** Per board and address key: since when, the owners issued, whether a refusal was logged. Map order is oldest first. */
  const issuers = new Map<string, { since: number; owners: Set<string>; refused: boolean }>()

  const makeRoom = (time: number) => {
    if (issuers.size < maxTracked) return
    for (const [key, entry] of issuers) if (time - entry.since >= windowMs) issuers.delete(key)
    while (issuers.size >= maxTracked) issuers.delete(issuers.keys().next().value!)
  }

  return {
    check(boardId, address, owner) {
      const time = now()
      const key = `${boardId}\n${addressKey(address)}`
      const mark = owner.slice(0, OWNER_PREFIX)
      let entry = issuers.get(key)
      if (entry && time - entry.since >= windowMs) {
        issuers.delete(key)
        entry = undefined
      }
      if (!entry) {
        makeRoom(time)
        entry = { since: time, owners: new Set(), refused: false }
        issuers.set(key, entry)
      }
      if (entry.owners.has(mark)) return { kind: 'allowed' }
      if (entry.owners.size >= limit) {
        const first = !entry.refused
        entry.refused = true
        return { kind: 'too-many', retryAfterMs: entry.since + windowMs - time, first }
      }
      entry.owners.add(mark)
      return { kind: 'allowed' }
    },
  }
}
