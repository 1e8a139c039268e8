/**
 * Fault: the operator restarts the server (SIGTERM, start again on the same
 * port) under a full workshop: 200 participants on one board, whose stock
 * providers all come back within the same half second.
 *
 * What a user would notice if it went wrong: a blank board after the
 * restart, a board that stops updating, or a server so busy with the storm
 * that monitoring (GET /healthz) times out and the orchestrator kills it.
 *
 * Races it guards against: 200 sync requests arriving while the cold board
 * is still loading (they are held and answered after the load), newcomers
 * with empty documents joining in the middle of that, and the
 * shutting-down close (4503) not being mistaken by stock providers for a
 * permanent refusal; and a kill -9 in the middle of a storm in which every
 * participant replays an offline edit (held while the board loads, then
 * stored and relayed): what anyone saw survives, and the rest arrives later.
 */
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, putRecord } from '../../../shared/documentLayout'
import { Close } from '../../../shared/protocol'
import { connectClient, createBoard, waitFor, type TestClient } from '../../test-utils/startServer'
import { missingFrom, noteRecord, recordsJson, sleep } from './helpers/boardState'
import { freePort, startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'
import { createRng, runSeed } from './helpers/prng'
import { pollHealth } from './helpers/healthPoller'

const PARTICIPANTS = 200
const NEWCOMERS = 20
const NOTES = 100
const HEALTH_BUDGET_MS = 1000

const SEED = runSeed()

describe(`restart with ${PARTICIPANTS} people on one board (FAULT_SEED=${SEED})`, () => {
  const servers: FixedPortServer[] = []
  const clients: TestClient[] = []
  // Shared with the second test, which starts from the board the first one leaves.
  let live: FixedPortServer | undefined
  let facilitator: TestClient
  let participants: TestClient[] = []
  let boardId = ''

  const pollers: ReturnType<typeof pollHealth>[] = []

  afterAll(async () => {
    for (const poller of pollers) await poller.stop()
    for (const client of clients) client.destroy()
    for (const server of servers) await server.kill9()
  })

  it('brings every participant back to the full board while /healthz keeps answering within 1 s', async () => {
    const server = await startFixedPortServer({ env: { ROOM_IDLE_MS: '600000' } })
    servers.push(server)
    const board = await createBoard(server.url, 'Plenary')
    boardId = board.id
    const connect = (wsUrl: string) => {
      const client = connectClient(wsUrl, board.id)
      clients.push(client)
      return client
    }

    facilitator = connect(server.wsUrl)
    await facilitator.synced
    facilitator.doc.transact(() => {
      for (let i = 0; i < NOTES; i++) putRecord(getRecordsMap(facilitator.doc), noteRecord(`shape:note-${i}`, i * 10, i * 5, `note ${i}`))
    })
    for (let batch = 0; batch < PARTICIPANTS; batch += 25) {
      const joined = Array.from({ length: Math.min(25, PARTICIPANTS - batch) }, () => connect(server.wsUrl))
      participants.push(...joined)
      await Promise.all(joined.map((c) => c.synced))
    }
    await waitFor(() => participants.every((p) => getRecordsMap(p.doc).has(`shape:note-${NOTES - 1}`)), 'everyone to see the notes', 20_000)
    const boardBefore = recordsJson(facilitator.doc)

    const closeCodes = new Map<number, number>()
    let restartedAt = Infinity
    const resynced = new Set<TestClient>()
    for (const p of participants) {
      p.provider.on('connection-close', (event) => {
        const code = event?.code ?? -1
        closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1)
      })
      p.provider.on('sync', (isSynced: boolean) => {
        if (isSynced && Date.now() >= restartedAt) resynced.add(p)
      })
    }

    // Polling from before the restart, so the first moments of the storm are measured too.
    const poller = pollHealth(server.url, 50)
    pollers.push(poller)
    expect(await server.stop(), 'exit code on SIGTERM').toBe(0)
    restartedAt = Date.now()
    const restarted = await startFixedPortServer({ dataDir: server.dataDir, port: server.port, env: { ROOM_IDLE_MS: '600000' } })
    servers.push(restarted)
    live = restarted
    const listeningAt = Date.now()

    // People opening the board for the first time in the middle of the storm.
    const newcomers = Array.from({ length: NEWCOMERS }, () => connect(restarted.wsUrl))
    const stormStart = Date.now()
    await waitFor(() => resynced.size === PARTICIPANTS, `all ${PARTICIPANTS} participants to resync`, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${resynced.size} resynced`)
    })
    await Promise.all(newcomers.map((c) => c.synced))
    const stormMs = Date.now() - stormStart
    await sleep(200) // a few polls after the storm settles
    // Polls refused while no process listened are expected; everything from the listening line on counts.
    const samples = (await poller.stop()).filter((s) => s.at >= listeningAt)

    // Every stock provider was told why (4503) and came back on its own.
    expect(closeCodes.get(Close.shuttingDown.code), `close codes seen: ${JSON.stringify(Object.fromEntries(closeCodes))}`).toBe(PARTICIPANTS)
    // No blank boards: returning people and newcomers all have the whole board.
    for (const client of [...participants, ...newcomers]) expect(recordsJson(client.doc)).toBe(boardBefore)

    // The board is live again for everyone, not just loaded.
    putRecord(getRecordsMap(newcomers[0].doc), noteRecord('shape:after-restart', 0, 0, 'we are back'))
    await waitFor(
      () => [facilitator, ...participants].every((p) => getRecordsMap(p.doc).has('shape:after-restart')),
      'everyone to see an edit made after the restart',
      15_000,
    )
    const reader = connect(restarted.wsUrl)
    await reader.synced
    const final = recordsJson(reader.doc)
    for (const client of [facilitator, ...participants, ...newcomers]) expect(recordsJson(client.doc)).toBe(final)
    expect(Y.encodeStateVector(reader.doc).length).toBeGreaterThan(0)

    const answered = samples.filter((s) => s.ok)
    const maxMs = Math.max(...samples.map((s) => s.ms))
    console.info(
      `reconnect storm: listening ${listeningAt - restartedAt} ms after SIGTERM finished, ${PARTICIPANTS} resynced + ${NEWCOMERS} newcomers loaded in ${stormMs} ms; ` +
        `/healthz ${answered.length}/${samples.length} answered, max ${maxMs} ms`,
    )
    expect(samples.length, 'health polls during the storm').toBeGreaterThan(3)
    expect(samples.filter((s) => !s.ok), 'failed health polls').toEqual([])
    expect(maxMs, 'slowest /healthz answer during the storm (ms)').toBeLessThan(HEALTH_BUDGET_MS)
  })

  it('loses nothing anyone saw when killed (-9) in the middle of a storm of 200 offline edits', async () => {
    expect(live, 'the first test leaves a running server').toBeDefined()
    const rng = createRng(SEED)
    const server = live!
    await server.kill9()
    await waitFor(() => participants.every((p) => !p.provider.wsconnected), 'everyone to notice the crash')
    // While the server is down everyone keeps working: one new note each.
    participants.forEach((p, i) => putRecord(getRecordsMap(p.doc), noteRecord(`shape:offline-${i}`, i, -i, `written offline by ${i}`)))

    const stormed = await startFixedPortServer({ dataDir: server.dataDir, port: server.port, env: { ROOM_IDLE_MS: '600000' } })
    servers.push(stormed)
    const killAfterMs = rng.int(150, 1200)
    await sleep(killAfterMs)
    // The facilitator only watches: whatever it has received now was relayed, so it must survive.
    const seenVector = Y.encodeStateVector(facilitator.doc)
    const seenUpdate = Y.encodeStateAsUpdate(facilitator.doc)
    const seenOffline = participants.map((_, i) => `shape:offline-${i}`).filter((id) => getRecordsMap(facilitator.doc).has(id))
    const killed = stormed.kill9()
    await killed
    const context = `FAULT_SEED=${SEED}, killed ${killAfterMs} ms into the storm, facilitator had seen ${seenOffline.length}/${PARTICIPANTS} offline notes`

    let inspectPort = await freePort()
    while (inspectPort === server.port) inspectPort = await freePort()
    const inspector = await startFixedPortServer({ dataDir: server.dataDir, port: inspectPort, env: { ROOM_IDLE_MS: '600000' } })
    servers.push(inspector)
    const fresh = connectClient(inspector.wsUrl, boardId)
    clients.push(fresh)
    await fresh.synced
    expect(missingFrom(Y.encodeStateVector(fresh.doc), seenVector), `edits seen but lost (${context})`).toEqual([])
    expect(seenOffline.filter((id) => !getRecordsMap(fresh.doc).has(id)), `offline notes seen but lost (${context})`).toEqual([])
    const expected = new Y.Doc()
    Y.applyUpdate(expected, seenUpdate)
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(fresh.doc, seenVector))
    expect(recordsJson(fresh.doc), `board after the crash vs seen + later edits (${context})`).toBe(recordsJson(expected))
    fresh.destroy()
    await inspector.kill9()

    await waitFor(() => participants.every((p) => !p.provider.wsconnected), 'everyone to notice the second crash')
    const final = await startFixedPortServer({ dataDir: server.dataDir, port: server.port, env: { ROOM_IDLE_MS: '600000' } })
    servers.push(final)
    const reader = connectClient(final.wsUrl, boardId)
    clients.push(reader)
    await waitFor(() => participants.every((p) => p.provider.wsconnected && p.provider.synced), `all ${PARTICIPANTS} to resync (${context})`, 30_000)
    await reader.synced
    const everyone = [facilitator, ...participants]
    await waitFor(
      () => everyone.every((c) => missingFrom(Y.encodeStateVector(reader.doc), Y.encodeStateVector(c.doc)).length === 0 && missingFrom(Y.encodeStateVector(c.doc), Y.encodeStateVector(reader.doc)).length === 0),
      `everyone to converge after the second restart (${context})`,
      30_000,
    )
    const missingOffline = participants.map((_, i) => `shape:offline-${i}`).filter((id) => !getRecordsMap(reader.doc).has(id))
    expect(missingOffline, `offline notes that never reached the board (${context})`).toEqual([])
    const board = recordsJson(reader.doc)
    for (const c of everyone) expect(recordsJson(c.doc)).toBe(board)
    console.info(`storm crash: ${context}; all ${PARTICIPANTS} offline notes on the board after the second restart`)
  })
})
