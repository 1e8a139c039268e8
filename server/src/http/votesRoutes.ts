/**
 * Dot voting over HTTP (shared/voting.ts). The vote itself (items, rules,
 * status, and after the reveal its results) lives in the board's session
 * state, written by the server; ballots live only in storage, keyed by a hash
 * of the voter id, so no browser sees a count before the reveal.
 *
 * Voter ids are the server's (access/voterIds.ts): a browser asks once per
 * board (`POST /:id/voter` with its random secret) and casts ballots under the
 * id it was given; a ballot under any other id is refused with
 * `voter-not-issued`, and one address gets a bounded number of new ids per
 * board and hour (`too-many-voters`). So one link cannot vote as many people
 * beyond that bound, and the count of distinct voters the reveal reports
 * means voters the server issued.
 */
import { createHash, randomBytes } from 'node:crypto'
import express, { Router } from 'express'
import type * as Y from 'yjs'
import { apiError } from '../../../shared/api'
import { getSessionMap } from '../../../shared/documentLayout'
import { SessionKeys } from '../../../shared/session'
import { applyBallot, parseBallot, parseStartVote, parseVoterRequest, parseVotes, tally, votesUsed, type IssuedVoter, type MyVotes, type Vote } from '../../../shared/voting'
import type { BoardAccessControl } from '../access/boardAccess'
import { createVoterIssuance, voterIds, type VoterIds } from '../access/voterIds'
import type { Logger } from '../log'
import type { Storage } from '../storage/Storage'
import { notFound, sendError } from './errors'
import { requireRole } from './requireRole'

/** Votes kept in the session state (older ones drop off). */
const KEEP_VOTES = 20

export interface VotesRoutesDeps {
  storage: Storage
  access: BoardAccessControl
  rooms: {
    readBoard<T>(boardId: string, read: (doc: Y.Doc) => T): Promise<T | undefined>
    changeBoard(boardId: string, change: (doc: Y.Doc) => void): Promise<boolean>
  }
  /** New voter ids one address may be issued per board and hour (VOTERS_PER_ADDRESS_PER_HOUR). */
  votersPerAddressPerHour: number
  log?: Logger
  now?: () => number
}

/** Name of the key that signs voter ids, in the server's secrets (created once, kept with the data). */
const VOTER_KEY = 'voter-ids'

const votesOf = (doc: Y.Doc): Vote[] => parseVotes(getSessionMap(doc).get(SessionKeys.votes))

/** The stored form of a voter id: knowing the database does not let anyone vote as them. */
const voterHash = (voter: string) => createHash('sha256').update(voter).digest('base64url')

export function votesRoutes({ storage, access, rooms, votersPerAddressPerHour, log, now = Date.now }: VotesRoutesDeps): Router {
  const router = Router()
  const json = express.json({ limit: '64kb' })
  const issuance = createVoterIssuance({ limit: votersPerAddressPerHour, now })
  // Read (or made) once; a failed read is tried again by the next request.
  let signer: Promise<VoterIds> | undefined
  const voters = () => {
    signer ??= storage.serverSecret(VOTER_KEY, randomBytes(32), now()).then(voterIds)
    signer.catch(() => (signer = undefined))
    return signer
  }
  const notIssued = (res: express.Response) =>
    sendError(res, apiError('voter-not-issued', 'this voter id was not issued by this server for this board: ask for one with POST /api/boards/:id/voter'))
  // One ballot at a time per voter, so two quick clicks cannot both spend the last vote.
  const queues = new Map<string, Promise<unknown>>()
  const serialized = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work)
    const tail = run.catch(() => undefined)
    queues.set(key, tail)
    void tail.then(() => queues.get(key) === tail && queues.delete(key))
    return run
  }

  const updateVote = (boardId: string, voteId: string, change: (vote: Vote) => Vote) =>
    rooms.changeBoard(boardId, (doc) => {
      const votes = votesOf(doc).map((vote) => (vote.id === voteId ? change(vote) : vote))
      getSessionMap(doc).set(SessionKeys.votes, votes)
    })

  router.post('/:id/votes', requireRole(access, 'facilitator'), json, async (req, res) => {
    const parsed = parseStartVote(req.body)
    if (!parsed.ok) return sendError(res, parsed.error.field ? apiError('invalid-field', parsed.error.message, parsed.error.field) : apiError('invalid-json', parsed.error.message))
    const body = parsed.value
    const started = now()
    const vote: Vote = {
      id: randomBytes(9).toString('base64url'),
      title: body.title ?? '',
      items: body.items,
      perPerson: body.perPerson,
      onePerItem: body.onePerItem ?? false,
      anonymous: body.anonymous ?? true,
      endsAt: body.durationMs ? started + body.durationMs : null,
      status: 'open',
      startedAt: started,
    }
    const stored = await rooms.changeBoard(req.params.id, (doc) => {
      // One vote at a time: starting one closes the one still open.
      const votes = votesOf(doc).map((v) => (v.status === 'open' ? { ...v, status: 'closed' as const } : v))
      getSessionMap(doc).set(SessionKeys.votes, [...votes, vote].slice(-KEEP_VOTES))
    })
    if (!stored) return sendError(res, apiError('storage-unavailable', 'the vote could not be stored, try again shortly'))
    res.status(201).json(vote)
  })

  // A browser's voter id on this board, the same every time it asks with the same secret.
  router.post('/:id/voter', requireRole(access, 'participant'), json, async (req, res) => {
    const parsed = parseVoterRequest(req.body)
    if (!parsed.ok) return sendError(res, parsed.error.field ? apiError('invalid-field', parsed.error.message, parsed.error.field) : apiError('invalid-json', parsed.error.message))
    const { voter, owner } = (await voters()).issue(req.params.id, parsed.value.secret)
    // req.ip follows X-Forwarded-For only from a proxy on loopback (createApp's 'trust proxy'), so it cannot be forged from outside.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    const check = issuance.check(req.params.id, address, owner)
    if (check.kind === 'too-many') {
      // Once per address, board and hour: the operator sees it (and VOTERS_PER_ADDRESS_PER_HOUR), not every refusal.
      if (check.first) log?.warn('voting: an address asked for more new voter ids on a board than VOTERS_PER_ADDRESS_PER_HOUR allows', { boardId: req.params.id, address, limit: votersPerAddressPerHour })
      res.set('Retry-After', String(Math.ceil(check.retryAfterMs / 1000)))
      return sendError(res, apiError('too-many-voters', 'too many new voters from this address on this board in the last hour; try again later'))
    }
    res.set('Cache-Control', 'no-store')
    const body: IssuedVoter = { voter }
    res.json(body)
  })

  const findVote = async (boardId: string, voteId: string) => rooms.readBoard(boardId, (doc) => votesOf(doc).find((v) => v.id === voteId))

  router.post('/:id/votes/:voteId/ballots', requireRole(access, 'participant'), json, async (req, res) => {
    const { id, voteId } = req.params as unknown as { id: string; voteId: string }
    const parsed = parseBallot(req.body)
    if (!parsed.ok) return sendError(res, parsed.error.field ? apiError('invalid-field', parsed.error.message, parsed.error.field) : apiError('invalid-json', parsed.error.message))
    const { voter, name = '', shapeId, delta } = parsed.value
    if (!(await voters()).verify(id, voter)) return notIssued(res)
    const hashed = voterHash(voter)
    const answer = await serialized(`${id}/${voteId}/${hashed}`, async () => {
      const vote = await findVote(id, voteId)
      if (!vote) return { status: 404 as const }
      const mine = await storage.getBallots(id, voteId, hashed)
      const next = applyBallot(vote, mine, shapeId, delta, now())
      if (!next.ok) return { status: 409 as const, refusal: next.error, mine, vote }
      await storage.putBallots(id, voteId, hashed, vote.anonymous ? '' : name.trim(), next.value)
      return { status: 200 as const, mine: next.value, vote }
    })
    if (answer.status === 404) return notFound(res, 'vote not found')
    const body: MyVotes = { voteId, mine: answer.mine, remaining: answer.vote.perPerson - votesUsed(answer.mine) }
    if (answer.status === 409) return res.status(409).json({ ...apiError('invalid-field', `ballot refused: ${answer.refusal}`, 'delta'), refusal: answer.refusal, ...body })
    res.json(body)
  })

  router.post('/:id/votes/:voteId/mine', requireRole(access, 'participant'), json, async (req, res) => {
    const { id, voteId } = req.params as unknown as { id: string; voteId: string }
    const voter = (req.body as { voter?: unknown } | undefined)?.voter
    if (typeof voter !== 'string') return sendError(res, apiError('invalid-field', 'voter must be the voter id the server issued', 'voter'))
    if (!(await voters()).verify(id, voter)) return notIssued(res)
    const vote = await findVote(id, voteId)
    if (!vote) return notFound(res, 'vote not found')
    const mine = await storage.getBallots(id, voteId, voterHash(voter))
    const body: MyVotes = { voteId, mine, remaining: vote.perPerson - votesUsed(mine) }
    res.json(body)
  })

  router.post('/:id/votes/:voteId/close', requireRole(access, 'facilitator'), async (req, res) => {
    const { id, voteId } = req.params as unknown as { id: string; voteId: string }
    if (!(await findVote(id, voteId))) return notFound(res, 'vote not found')
    await updateVote(id, voteId, (vote) => (vote.status === 'open' ? { ...vote, status: 'closed' } : vote))
    res.json((await findVote(id, voteId))!)
  })

  router.post('/:id/votes/:voteId/reveal', requireRole(access, 'facilitator'), async (req, res) => {
    const { id, voteId } = req.params as unknown as { id: string; voteId: string }
    const vote = await findVote(id, voteId)
    if (!vote) return notFound(res, 'vote not found')
    const { results, voters } = tally(vote, await storage.allBallots(id, voteId))
    const stored = await updateVote(id, voteId, (v) => ({ ...v, status: 'revealed', results, voters }))
    if (!stored) return sendError(res, apiError('storage-unavailable', 'the results could not be stored, try again shortly'))
    res.json((await findVote(id, voteId))!)
  })

  return router
}
