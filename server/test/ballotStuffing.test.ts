/**
 * Issue #12, finding 7 (ballot stuffing): one participant link cast 50
 * ballots under 25 voter ids it made up, and the named results merged the
 * repeated names. Voter ids are now issued by the server (one per browser
 * secret and board, a bounded number of new ones per address per hour), a
 * ballot under any other id is refused by name, and the results count and
 * name every voter. Only a raw HTTP client and the links are used here.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Vote } from '../../shared/voting'
import { bearer, createBoard, startServer, type CreatedBoard, type TestServer } from '../test-utils/startServer'

const LIMIT = 6
const items = ['shape:idea-a', 'shape:idea-b']
/** A browser's per-board secret, as the client makes one. */
const secret = () => randomBytes(18).toString('base64url')
/** The headers a local reverse proxy adds for a person at `address` (trusted from loopback only). */
const from = (address: string) => ({ 'x-forwarded-for': address })

describe('ballot stuffing (issue #12, finding 7)', () => {
  let server: TestServer
  let board: CreatedBoard
  const post = (path: string, key: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/boards/${board.id}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const startVote = async (body: Record<string, unknown>) => (await (await post('/votes', board.keys.facilitator, { items, ...body })).json()) as Vote
  /** Asks the server for the voter id of `browserSecret` (what the client does once per board). */
  const issue = async (browserSecret: string, address = '203.0.113.7', key = board.keys.participant) => {
    const res = await post('/voter', key, { secret: browserSecret }, from(address))
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { voter?: string; error?: { code: string } } }
  }
  const issued = async (browserSecret: string, address?: string) => {
    const answer = await issue(browserSecret, address)
    expect(answer.status).toBe(200)
    return answer.body.voter!
  }

  beforeAll(async () => {
    server = await startServer({ env: { VOTERS_PER_ADDRESS_PER_HOUR: String(LIMIT) } })
    board = await createBoard(server.url, 'Stembus')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses ballots under voter ids the server did not issue, and counts only issued voters', async () => {
    const vote = await startVote({ perPerson: 2 })
    // The attack: 25 made-up voter ids, two ballots each, from one participant link.
    const madeUp = Array.from({ length: 25 }, (_, n) => `made-up-voter-${n}`.padEnd(24, 'x'))
    const stuffed = await Promise.all(
      madeUp.flatMap((voter) => [0, 1].map(() => post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter, shapeId: 'shape:idea-b', delta: 1 }))),
    )
    expect(stuffed.map((r) => r.status)).toEqual(Array(50).fill(403))
    expect(new Set(await Promise.all(stuffed.map(async (r) => ((await r.json()) as { error: { code: string } }).error.code)))).toEqual(new Set(['voter-not-issued']))
    // Nor can a made-up id read anyone's votes back.
    expect((await post(`/votes/${vote.id}/mine`, board.keys.participant, { voter: madeUp[0] })).status).toBe(403)

    // A forged id in the issued shape (someone else's board, or a guessed signature) is refused the same way.
    const other = await createBoard(server.url, 'Elders')
    const elsewhere = await fetch(`${server.url}/api/boards/${other.id}/voter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(other.keys.participant) },
      body: JSON.stringify({ secret: secret() }),
    })
    const foreign = ((await elsewhere.json()) as { voter: string }).voter
    const tampered = `${foreign.slice(0, -2)}${foreign.endsWith('AA') ? 'BB' : 'AA'}`
    for (const voter of [foreign, tampered]) {
      const res = await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter, shapeId: 'shape:idea-b', delta: 1 })
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('voter-not-issued')
    }

    // Two real browsers; the first reloads (same secret, same voter) and keeps its votes.
    const ana = secret()
    const anaVoter = await issued(ana)
    expect(await issued(ana)).toBe(anaVoter)
    const bram = await issued(secret())
    expect((await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter: anaVoter, shapeId: 'shape:idea-a', delta: 1 })).status).toBe(200)
    const again = await issued(ana)
    const mine = await (await post(`/votes/${vote.id}/mine`, board.keys.participant, { voter: again })).json()
    expect(mine).toMatchObject({ mine: { 'shape:idea-a': 1 }, remaining: 1 })
    expect((await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter: bram, shapeId: 'shape:idea-a', delta: 1 })).status).toBe(200)

    // A server restart keeps the key: the same browser is still the same voter, with its votes.
    server = await server.restart()
    expect(await issued(ana)).toBe(anaVoter)
    expect(await (await post(`/votes/${vote.id}/mine`, board.keys.participant, { voter: anaVoter })).json()).toMatchObject({ mine: { 'shape:idea-a': 1 } })

    const revealed = (await (await post(`/votes/${vote.id}/reveal`, board.keys.facilitator)).json()) as Vote
    expect(revealed.voters).toBe(2)
    expect(revealed.results).toEqual([{ shapeId: 'shape:idea-a', count: 2 }])
  })

  it('names every voter: two voters with the same name are not merged into one', async () => {
    const vote = await startVote({ perPerson: 1, anonymous: false })
    const address = '198.51.100.20'
    for (const name of ['Ana', 'Ana', 'Bram']) {
      const voter = await issued(secret(), address)
      expect((await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter, name, shapeId: 'shape:idea-a', delta: 1 })).status).toBe(200)
    }
    const revealed = (await (await post(`/votes/${vote.id}/reveal`, board.keys.facilitator)).json()) as Vote
    expect(revealed.voters).toBe(3)
    expect(revealed.results).toEqual([{ shapeId: 'shape:idea-a', count: 3, names: ['Ana', 'Ana', 'Bram'] }])
  })

  it('issues a bounded number of new voters per address and board, and names the refusal', async () => {
    const address = '192.0.2.50'
    const secrets = Array.from({ length: LIMIT }, secret)
    for (const s of secrets) await issued(s, address)
    const refused = await issue(secret(), address)
    expect(refused.status).toBe(429)
    expect(refused.body.error?.code).toBe('too-many-voters')
    expect(Number(refused.retryAfter)).toBeGreaterThan(3500)
    // A browser already issued from there keeps its voter (reloads, reconnections).
    expect((await issue(secrets[0], address)).status).toBe(200)
    // Another office is not affected, nor is another board from the same office.
    expect((await issue(secret(), '192.0.2.51')).status).toBe(200)
    const other = await createBoard(server.url, 'Ander bord')
    const res = await fetch(`${server.url}/api/boards/${other.id}/voter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(other.keys.participant), ...from(address) },
      body: JSON.stringify({ secret: secret() }),
    })
    expect(res.status).toBe(200)
  })

  it('issues voters to link holders who may vote, for well-formed secrets only', async () => {
    expect((await issue(secret(), '192.0.2.60', board.keys.viewer)).status).toBe(403)
    expect((await issue(secret(), '192.0.2.60', board.keys.facilitator)).status).toBe(200)
    const bad = await issue('short', '192.0.2.60')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'invalid-field', field: 'secret' })
  })
})
