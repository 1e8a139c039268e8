/**
 * Dot voting, end to end on a real server with stock y-websocket clients:
 * limits are the server's, nobody's browser receives a count before the
 * reveal, a participant can neither reveal nor forge results, and revealed
 * results are kept with the board.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getSessionMap } from '../../shared/documentLayout'
import { parseVotes, type Vote } from '../../shared/voting'
import { bearer, connectClient, createBoard, startServer, waitFor, type CreatedBoard, type TestClient, type TestServer } from '../test-utils/startServer'
import { sleep } from './faults/helpers/boardState'

describe('dot voting', () => {
  let server: TestServer
  let board: CreatedBoard
  const clients: TestClient[] = []
  const post = (path: string, key: string, body?: unknown) =>
    fetch(`${server.url}/api/boards/${board.id}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  /** Voter n's id, issued by the server for that browser's secret (as the client asks for it). */
  const issued = new Map<number, string>()
  const voter = (n: number) => issued.get(n)!
  const issueVoters = async (...ns: number[]) => {
    for (const n of ns) {
      const res = await post('/voter', board.keys.participant, { secret: `browser-${n}`.padEnd(24, 'x') })
      expect(res.status).toBe(200)
      issued.set(n, ((await res.json()) as { voter: string }).voter)
    }
  }
  const items = ['shape:idea-a', 'shape:idea-b', 'shape:idea-c']
  const votesIn = (client: TestClient): Vote[] => parseVotes(getSessionMap(client.doc).get('votes'))

  beforeAll(async () => {
    server = await startServer()
    board = await createBoard(server.url, 'Prioriteiten', 'nl')
    await issueVoters(1, 2, 3, 4, 5, 9)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('runs a vote: limits enforced, counts hidden until the reveal, results ranked for everyone', async () => {
    const watcher = connectClient(server.wsUrl, board.id, { role: 'participant' })
    clients.push(watcher)
    await watcher.synced
    const updates: Uint8Array[] = []
    watcher.doc.on('update', (update: Uint8Array) => updates.push(update))

    // Only a facilitator starts a vote.
    expect((await post('/votes', board.keys.participant, { items, perPerson: 2 })).status).toBe(403)
    const started = await post('/votes', board.keys.facilitator, { items, perPerson: 2, onePerItem: true })
    expect(started.status).toBe(201)
    const vote = (await started.json()) as Vote
    expect(vote).toMatchObject({ status: 'open', perPerson: 2, onePerItem: true, anonymous: true })
    await waitFor(() => votesIn(watcher).some((v) => v.id === vote.id), 'the vote reaching a participant')

    const ballot = (n: number, shapeId: string, delta: 1 | -1 = 1, key = board.keys.participant) =>
      post(`/votes/${vote.id}/ballots`, key, { voter: voter(n), name: `P${n}`, shapeId, delta })
    // Voter 1: a, then a again (one per item), then b, then c (out of votes).
    expect((await (await ballot(1, 'shape:idea-a')).json()).remaining).toBe(1)
    const twice = await ballot(1, 'shape:idea-a')
    expect(twice.status).toBe(409)
    expect((await twice.json()).refusal).toBe('one-per-item')
    expect((await ballot(1, 'shape:idea-b')).status).toBe(200)
    const tooMany = await ballot(1, 'shape:idea-c')
    expect(await tooMany.json()).toMatchObject({ refusal: 'no-votes-left', remaining: 0, mine: { 'shape:idea-a': 1, 'shape:idea-b': 1 } })
    // Taking one back frees it.
    expect((await (await ballot(1, 'shape:idea-b', -1)).json()).remaining).toBe(1)
    expect((await ballot(1, 'shape:idea-c')).status).toBe(200)
    // Voters 2 and 3 (a facilitator may vote too); a viewer may not; an item outside the vote is refused.
    expect((await ballot(2, 'shape:idea-a')).status).toBe(200)
    expect((await ballot(3, 'shape:idea-a', 1, board.keys.facilitator)).status).toBe(200)
    expect((await ballot(3, 'shape:idea-c', 1, board.keys.facilitator)).status).toBe(200)
    expect((await ballot(4, 'shape:idea-a', 1, board.keys.viewer)).status).toBe(403)
    expect((await (await ballot(2, 'shape:elsewhere')).json()).refusal).toBe('not-an-item')
    // Fifty quick clicks from one voter on two items spend exactly their two votes, one each.
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => ballot(9, items[1 + (i % 2)])))
    expect(burst.filter((r) => r.status === 200).length).toBe(2)

    // A voter reads back only their own votes.
    const mine = await (await post(`/votes/${vote.id}/mine`, board.keys.participant, { voter: voter(1) })).json()
    expect(mine).toEqual({ voteId: vote.id, mine: { 'shape:idea-a': 1, 'shape:idea-c': 1 }, remaining: 0 })

    // Before the reveal nothing about the ballots has reached a browser.
    await sleep(200)
    expect(votesIn(watcher).find((v) => v.id === vote.id)).not.toHaveProperty('results')
    const received = new TextDecoder().decode(Buffer.concat(updates))
    expect(received).not.toContain('count')

    // A participant can neither reveal nor write results into the session state.
    expect((await post(`/votes/${vote.id}/reveal`, board.keys.participant)).status).toBe(403)
    watcher.doc.transact(() =>
      getSessionMap(watcher.doc).set('votes', [{ ...vote, status: 'revealed', results: [{ shapeId: 'shape:idea-c', count: 99 }] }]),
    )
    await waitFor(() => votesIn(watcher).find((v) => v.id === vote.id)?.status === 'open', 'the forged results undone')

    const revealed = (await (await post(`/votes/${vote.id}/reveal`, board.keys.facilitator)).json()) as Vote
    expect(revealed.status).toBe('revealed')
    expect(revealed.voters).toBe(4)
    expect(revealed.results).toEqual([
      { shapeId: 'shape:idea-a', count: 3 },
      { shapeId: 'shape:idea-c', count: 3 }, // a tie keeps the items' order
      { shapeId: 'shape:idea-b', count: 1 },
    ])
    await waitFor(() => votesIn(watcher).find((v) => v.id === vote.id)?.results?.length === 3, 'the results reaching a participant')
    // No more ballots once revealed.
    expect((await (await ballot(5, 'shape:idea-b')).json()).refusal).toBe('vote-not-open')

    // Kept with the board.
    server = await server.restart()
    const later = connectClient(server.wsUrl, board.id, { role: 'viewer' })
    clients.push(later)
    await later.synced
    expect(votesIn(later).find((v) => v.id === vote.id)?.results).toEqual(revealed.results)
  })

  it('names who voted for what only in a vote with names, and closes by itself at its end time', async () => {
    const res = await post('/votes', board.keys.facilitator, { items, perPerson: 1, anonymous: false, durationMs: 400 })
    const vote = (await res.json()) as Vote
    await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter: voter(1), name: 'Ana', shapeId: 'shape:idea-b', delta: 1 })
    await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter: voter(2), name: 'Bram', shapeId: 'shape:idea-b', delta: 1 })
    await sleep(450)
    const late = await post(`/votes/${vote.id}/ballots`, board.keys.participant, { voter: voter(3), name: 'Carla', shapeId: 'shape:idea-a', delta: 1 })
    expect((await late.json()).refusal).toBe('vote-not-open')
    const revealed = (await (await post(`/votes/${vote.id}/reveal`, board.keys.facilitator)).json()) as Vote
    expect(revealed.results).toEqual([{ shapeId: 'shape:idea-b', count: 2, names: ['Ana', 'Bram'] }])
  })

  it('answers unknown votes with 404 and bad bodies naming the field', async () => {
    expect((await post('/votes/nope/reveal', board.keys.facilitator)).status).toBe(404)
    const bad = await post('/votes', board.keys.facilitator, { items: ['not a shape'], perPerson: 1 })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatchObject({ code: 'invalid-field', field: 'items' })
  })
})
