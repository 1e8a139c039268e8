/**
 * Dot voting over HTTP (shared/voting.ts). The vote itself (items, rules,
 * status, and after the reveal its results) lives in the board's session
 * state, written by the server; ballots live only in storage, keyed by a hash
 * of the voter's secret, so no browser sees a count before the reveal.
 */
import { createHash, randomBytes } from 'node:crypto'
import express, { Router } from 'express'
import type * as Y from 'yjs'
import { apiError } from '../../../shared/api'
import { getSessionMap } from '../../../shared/documentLayout'
import { SessionKeys } from '../../../shared/session'
import { applyBallot, parseBallot, parseStartVote, parseVotes, tally, votesUsed, type MyVotes, type Vote } from '../../../shared/voting'
import type { BoardAccessControl } from '../access/boardAccess'
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
  now?: () => number
}

const votesOf = (doc: Y.Doc): Vote[] => parseVotes(getSessionMap(doc).get(SessionKeys.votes))

/** The stored form of a voter's secret: knowing the database does not let anyone vote as them. */
const voterHash = (voter: string) => createHash('sha256').update(voter).digest('base64url')

export function votesRoutes({ storage, access, rooms, now = Date.now }: VotesRoutesDeps): Router {
  const router = Router()
  const json = express.json({ limit: '64kb' })
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

  const findVote = async (boardId: string, voteId: string) => rooms.readBoard(boardId, (doc) => votesOf(doc).find((v) => v.id === voteId))

  router.post('/:id/votes/:voteId/ballots', requireRole(access, 'participant'), json, async (req, res) => {
    const { id, voteId } = req.params as unknown as { id: string; voteId: string }
    const parsed = parseBallot(req.body)
    if (!parsed.ok) return sendError(res, parsed.error.field ? apiError('invalid-field', parsed.error.message, parsed.error.field) : apiError('invalid-json', parsed.error.message))
    const { voter, name = '', shapeId, delta } = parsed.value
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
    if (typeof voter !== 'string' || !/^[A-Za-z0-9_-]{22,64}$/.test(voter)) return sendError(res, apiError('invalid-field', 'voter must be 22 to 64 characters of [A-Za-z0-9_-]', 'voter'))
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
