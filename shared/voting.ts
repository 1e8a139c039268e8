/**
 * Dot voting. A facilitator starts a vote on a set of shapes (a frame's
 * notes, or a selection); each participant has N votes, optionally at most
 * one per item. Ballots go to the server over HTTP and stay there: no
 * browser learns anyone else's votes, or any count, until a facilitator
 * reveals the results, which the server then writes into the board's session
 * state (kept with the board). Anonymous by default: results carry names only
 * when the facilitator chose a vote with names.
 */
import { err, ok, type Result } from './result'

export const MAX_VOTES_PER_PERSON = 50
export const MAX_VOTE_ITEMS = 500

/** One result line: an item and its votes (names only for a vote with names). */
export interface VoteResult {
  shapeId: string
  count: number
  /** One name per voter who chose the item (a name twice: two voters gave it), sorted. */
  names?: string[]
}

export interface Vote {
  id: string
  title: string
  /** Shape ids that can receive votes. */
  items: string[]
  perPerson: number
  onePerItem: boolean
  anonymous: boolean
  /** Server time after which ballots are refused; null: open until closed. */
  endsAt: number | null
  status: 'open' | 'closed' | 'revealed'
  startedAt: number
  /** Ranked, most votes first; present once revealed. */
  results?: VoteResult[]
  /** How many distinct voters (server-issued voter ids) cast a ballot; present once revealed. */
  voters?: number
}

/** Body of `POST /api/boards/:id/votes`. */
export interface StartVoteBody {
  title?: string
  items: string[]
  perPerson: number
  onePerItem?: boolean
  anonymous?: boolean
  /** Minutes until ballots close by themselves; absent: until a facilitator closes it. */
  durationMs?: number
}

/** Body of `POST /api/boards/:id/voter`: this browser's random secret for the board. */
export interface VoterRequestBody {
  secret: string
}

/** Answer of `POST /api/boards/:id/voter`: the voter id the server issued to this browser on this board. */
export interface IssuedVoter {
  voter: string
}

/** Body of `POST /api/boards/:id/votes/:voteId/ballots`. */
export interface BallotBody {
  /** The voter id the server issued to this browser (`POST /api/boards/:id/voter`); kept secret like a key. */
  voter: string
  /** Shown with the results of a vote with names. */
  name?: string
  shapeId: string
  /** +1 adds a vote to the item, -1 takes one back. */
  delta: 1 | -1
}

/** What a voter sees of their own ballots. */
export interface MyVotes {
  voteId: string
  mine: Record<string, number>
  remaining: number
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const SHAPE_ID = /^shape:[^\s]{1,200}$/
/** A browser's per-board secret (asked for a voter id). */
export const VOTER_SECRET = /^[A-Za-z0-9_-]{22,64}$/
/** Longest voter id accepted in a body; whether the server issued it is checked by the server. */
const MAX_VOTER_LENGTH = 200

export type FieldError = { field: string; message: string }

export function parseStartVote(body: unknown): Result<StartVoteBody, FieldError> {
  if (!isRecord(body)) return err({ field: '', message: 'body must be a JSON object' })
  const extra = Object.keys(body).find((k) => !['title', 'items', 'perPerson', 'onePerItem', 'anonymous', 'durationMs'].includes(k))
  if (extra) return err({ field: extra, message: `unknown field "${extra}"` })
  const { title = '', items, perPerson, onePerItem = false, anonymous = true, durationMs } = body
  if (typeof title !== 'string' || title.length > 200) return err({ field: 'title', message: 'title must be a string of at most 200 characters' })
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_VOTE_ITEMS || !items.every((i) => typeof i === 'string' && SHAPE_ID.test(i))) {
    return err({ field: 'items', message: `items must be 1 to ${MAX_VOTE_ITEMS} shape ids` })
  }
  if (typeof perPerson !== 'number' || !Number.isInteger(perPerson) || perPerson < 1 || perPerson > MAX_VOTES_PER_PERSON) {
    return err({ field: 'perPerson', message: `perPerson must be a whole number from 1 to ${MAX_VOTES_PER_PERSON}` })
  }
  if (typeof onePerItem !== 'boolean') return err({ field: 'onePerItem', message: 'onePerItem must be true or false' })
  if (typeof anonymous !== 'boolean') return err({ field: 'anonymous', message: 'anonymous must be true or false' })
  if (durationMs !== undefined && (typeof durationMs !== 'number' || !(durationMs > 0) || durationMs > 24 * 3600_000)) {
    return err({ field: 'durationMs', message: 'durationMs must be a positive number of milliseconds (at most a day)' })
  }
  return ok({ title: title.trim(), items: Array.from(new Set(items as string[])), perPerson, onePerItem, anonymous, durationMs: durationMs as number | undefined })
}

export function parseVoterRequest(body: unknown): Result<VoterRequestBody, FieldError> {
  if (!isRecord(body)) return err({ field: '', message: 'body must be a JSON object' })
  const extra = Object.keys(body).find((k) => k !== 'secret')
  if (extra) return err({ field: extra, message: `unknown field "${extra}"` })
  if (typeof body.secret !== 'string' || !VOTER_SECRET.test(body.secret)) return err({ field: 'secret', message: 'secret must be 22 to 64 characters of [A-Za-z0-9_-]' })
  return ok({ secret: body.secret })
}

export function parseBallot(body: unknown): Result<BallotBody, FieldError> {
  if (!isRecord(body)) return err({ field: '', message: 'body must be a JSON object' })
  const extra = Object.keys(body).find((k) => !['voter', 'name', 'shapeId', 'delta'].includes(k))
  if (extra) return err({ field: extra, message: `unknown field "${extra}"` })
  const { voter, name, shapeId, delta } = body
  if (typeof voter !== 'string' || voter.length === 0 || voter.length > MAX_VOTER_LENGTH) return err({ field: 'voter', message: 'voter must be the voter id the server issued (POST /api/boards/:id/voter)' })
  if (name !== undefined && (typeof name !== 'string' || name.length > 100)) return err({ field: 'name', message: 'name must be a string of at most 100 characters' })
  if (typeof shapeId !== 'string' || !SHAPE_ID.test(shapeId)) return err({ field: 'shapeId', message: 'shapeId must be a shape id' })
  if (delta !== 1 && delta !== -1) return err({ field: 'delta', message: 'delta must be 1 or -1' })
  return ok({ voter, name: name as string | undefined, shapeId, delta })
}

/** Why a ballot is refused. */
export type BallotRefusal = 'vote-not-open' | 'not-an-item' | 'no-votes-left' | 'one-per-item' | 'nothing-to-take-back'

export function votesUsed(mine: Record<string, number>): number {
  return Object.values(mine).reduce((sum, n) => sum + n, 0)
}

/** Applies one ballot to a voter's votes, within the vote's rules; `now` is server time. */
export function applyBallot(vote: Vote, mine: Record<string, number>, shapeId: string, delta: 1 | -1, now: number): Result<Record<string, number>, BallotRefusal> {
  if (vote.status !== 'open' || (vote.endsAt !== null && now >= vote.endsAt)) return err('vote-not-open')
  if (!vote.items.includes(shapeId)) return err('not-an-item')
  const current = mine[shapeId] ?? 0
  if (delta === -1) {
    if (current === 0) return err('nothing-to-take-back')
    const next = { ...mine, [shapeId]: current - 1 }
    if (next[shapeId] === 0) delete next[shapeId]
    return ok(next)
  }
  if (votesUsed(mine) >= vote.perPerson) return err('no-votes-left')
  if (vote.onePerItem && current >= 1) return err('one-per-item')
  return ok({ ...mine, [shapeId]: current + 1 })
}

/**
 * The results of a vote from everyone's ballots, most votes first (ties in
 * item order). `voters` counts distinct voters; in a vote with names each
 * voter's name appears once per item they chose, so two voters who gave the
 * same name are two entries, never merged into one.
 */
export function tally(vote: Vote, ballots: { voter: string; name: string; shapeId: string; count: number }[]): { results: VoteResult[]; voters: number } {
  const counts = new Map<string, { count: number; names: Map<string, string> }>()
  const voters = new Set<string>()
  for (const ballot of ballots) {
    if (ballot.count <= 0 || !vote.items.includes(ballot.shapeId)) continue
    voters.add(ballot.voter)
    const entry = counts.get(ballot.shapeId) ?? { count: 0, names: new Map<string, string>() }
    entry.count += ballot.count
    if (ballot.name) entry.names.set(ballot.voter, ballot.name)
    counts.set(ballot.shapeId, entry)
  }
  const order = new Map(vote.items.map((id, i) => [id, i]))
  const results = Array.from(counts, ([shapeId, { count, names }]) =>
    vote.anonymous ? { shapeId, count } : { shapeId, count, names: Array.from(names.values()).sort() },
  ).sort((a, b) => b.count - a.count || order.get(a.shapeId)! - order.get(b.shapeId)!)
  return { results, voters: voters.size }
}

/**
 * Names as the results show them: each name once, with how many voters gave
 * it when more than one did (`Ana (2)`), so repeated names stay visible.
 */
export function groupNames(names: readonly string[]): { name: string; voters: number }[] {
  const counts = new Map<string, number>()
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1)
  return Array.from(counts, ([name, voters]) => ({ name, voters }))
}

/** Reads the session's vote list, dropping malformed entries. */
export function parseVotes(value: unknown): Vote[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((v): Vote[] => {
    if (!isRecord(v) || typeof v.id !== 'string' || !Array.isArray(v.items) || typeof v.perPerson !== 'number') return []
    if (v.status !== 'open' && v.status !== 'closed' && v.status !== 'revealed') return []
    return [
      {
        id: v.id,
        title: typeof v.title === 'string' ? v.title : '',
        items: v.items.filter((i): i is string => typeof i === 'string'),
        perPerson: v.perPerson,
        onePerItem: v.onePerItem === true,
        anonymous: v.anonymous !== false,
        endsAt: typeof v.endsAt === 'number' ? v.endsAt : null,
        status: v.status,
        startedAt: typeof v.startedAt === 'number' ? v.startedAt : 0,
        ...(Array.isArray(v.results) ? { results: v.results.filter((r): r is VoteResult => isRecord(r) && typeof r.shapeId === 'string' && typeof r.count === 'number') } : {}),
        ...(typeof v.voters === 'number' ? { voters: v.voters } : {}),
      },
    ]
  })
}
