/**
 * Fault: the server process is killed (`kill -9`), or stopped (SIGTERM), while
 * 20 people edit one board and the log is being compacted every 50 edits.
 *
 * Promise under test: nothing acknowledged is ever lost. An edit another
 * participant has seen was stored before it was relayed, so it must be on the
 * board after the restart; and everyone, including people who kept editing
 * while the server was down, ends up on the same board.
 *
 * Races it guards against: a crash between append and relay, in the middle of
 * a compaction (snapshot written, log rows deleted), and with a burst of
 * offline edits arriving from 20 reconnecting providers at once.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, putRecord, type PlainRecord } from '../../../shared/documentLayout'
import { connectClient, createBoard, waitFor, type TestClient } from '../../test-utils/startServer'
import { missingFrom, noteRecord, recordsJson, sleep } from './helpers/boardState'
import { freePort, startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'
import { createRng, runSeed } from './helpers/prng'

const SEED = runSeed()
const WRITERS = 20
const ENV = { COMPACT_AFTER_UPDATES: '50', ROOM_IDLE_MS: '600000' }

/** Same edits on both sides: equal state vectors (the encoding's client order may differ). */
function sameEdits(a: Y.Doc, b: Y.Doc): boolean {
  const sa = Y.decodeStateVector(Y.encodeStateVector(a))
  const sb = Y.decodeStateVector(Y.encodeStateVector(b))
  return sa.size === sb.size && Array.from(sa).every(([client, clock]) => sb.get(client) === clock)
}

/** One participant creating notes and dragging them around, on a seeded schedule. */
function startWriter(client: TestClient, index: number, seed: number, isRunning: () => boolean): { edits: () => number } {
  const rng = createRng(seed * 131 + index)
  const notes: PlainRecord[] = []
  let edits = 0
  const tick = () => {
    if (!isRunning()) return
    const records = getRecordsMap(client.doc)
    client.doc.transact(() => {
      if (notes.length < 3 || (notes.length < 12 && rng.chance(0.25))) {
        const note = noteRecord(`shape:w${index}-${notes.length}`, rng.int(0, 2000), rng.int(0, 2000), `idea ${index}.${notes.length}`)
        notes.push(note)
        putRecord(records, note)
      } else {
        const note = rng.pick(notes)
        note.x = (note.x as number) + rng.int(-40, 40)
        note.y = (note.y as number) + rng.int(-40, 40)
        putRecord(records, note)
      }
    })
    edits++
    setTimeout(tick, rng.int(20, 80))
  }
  setTimeout(tick, rng.int(0, 50))
  return { edits: () => edits }
}

describe(`the server stops while ${WRITERS} people edit one board (FAULT_SEED=${SEED})`, () => {
  const servers: FixedPortServer[] = []
  const clients: TestClient[] = []
  let running = false

  afterAll(async () => {
    running = false
    for (const client of clients) client.destroy()
    for (const server of servers) await server.kill9()
  })

  // kill -9: nothing is flushed. SIGTERM: the graceful path (close with 4503, flush, exit 0)
  // racing edits that are still arriving; both must keep what was seen.
  it.each(['kill -9', 'SIGTERM'] as const)('%s: keeps every edit the observer received, and everyone converges after the restart', async (stopKind) => {
    running = false
    const rng = createRng(SEED + (stopKind === 'SIGTERM' ? 1 : 0))
    const server = await startFixedPortServer({ env: ENV })
    servers.push(server)
    const board = await createBoard(server.url, 'Crash drill')
    const connect = (url: string) => {
      const client = connectClient(url, board.id)
      clients.push(client)
      return client
    }
    clients.splice(0).forEach((client) => client.destroy()) // the other case's clients
    const writers = Array.from({ length: WRITERS }, () => connect(server.wsUrl))
    const observer = connect(server.wsUrl)
    await Promise.all(clients.map((client) => client.synced))
    let received = 0
    observer.doc.on('update', () => received++)

    running = true
    const stats = writers.map((writer, i) => startWriter(writer, i, SEED, () => running))
    const killAfterMs = rng.int(1500, 4000)
    await sleep(killAfterMs)

    // What the observer has seen, captured in the same tick as the kill signal.
    const seenVector = Y.encodeStateVector(observer.doc)
    const seenUpdate = Y.encodeStateAsUpdate(observer.doc)
    const seenRecords = getRecordsMap(observer.doc).toJSON() as Record<string, Record<string, unknown>>
    const killed = stopKind === 'kill -9' ? server.kill9().then(() => 0) : server.stop()
    observer.destroy()
    expect(await killed, `exit code after ${stopKind}\n${server.stderr().slice(-2000)}`).toBe(0)
    const editsBeforeKill = stats.reduce((sum, s) => sum + s.edits(), 0)

    // Compaction really ran during the run (otherwise this only tested the log).
    const db = new Database(path.join(server.dataDir, 'whiteboard.db'), { readonly: true })
    const snapshot = db.prepare<[string], { upto_seq: number }>('SELECT upto_seq FROM snapshots WHERE board_id = ?').get(board.id)
    db.close()
    expect(snapshot?.upto_seq, 'a compaction ran before the stop').toBeGreaterThan(0)

    // Look at the crashed data on another port first, so no writer can reconnect
    // and add edits before we compare with what the observer saw.
    let inspectPort = await freePort()
    while (inspectPort === server.port) inspectPort = await freePort()
    const inspector = await startFixedPortServer({ dataDir: server.dataDir, port: inspectPort, env: ENV })
    servers.push(inspector)
    const fresh = connect(inspector.wsUrl)
    await fresh.synced
    const context = `FAULT_SEED=${SEED}, ${stopKind} after ${killAfterMs} ms, ${editsBeforeKill} edits made, observer received ${received} updates`
    expect(missingFrom(Y.encodeStateVector(fresh.doc), seenVector), `edits the observer saw but the restarted server lacks (${context})`).toEqual([])
    // Every note the observer saw is still on the board (nobody deletes in this test) ...
    const freshRecords = getRecordsMap(fresh.doc)
    const lost = Object.keys(seenRecords).filter((id) => !freshRecords.has(id))
    expect(lost, `notes lost (${context})`).toEqual([])
    // ... and the board is exactly what the observer saw plus edits made after it looked.
    const expected = new Y.Doc()
    Y.applyUpdate(expected, seenUpdate)
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(fresh.doc, seenVector))
    expect(recordsJson(fresh.doc), `board after restart vs observed + later edits (${context})`).toBe(recordsJson(expected))
    fresh.destroy()
    await inspector.kill9()

    // The real restart, on the port the writers' providers keep retrying.
    const restarted = await startFixedPortServer({ dataDir: server.dataDir, port: server.port, env: ENV })
    servers.push(restarted)
    await waitFor(() => writers.every((w) => w.provider.wsconnected && w.provider.synced), 'all writers to reconnect and resync', 15_000)
    await sleep(500) // they keep editing on the restarted server for a moment
    running = false

    const reader = connect(restarted.wsUrl)
    await reader.synced
    const docs = [...writers.map((w) => w.doc), reader.doc]
    await waitFor(() => docs.every((doc) => sameEdits(doc, reader.doc)), `all ${docs.length} documents to hold the same edits (${context})`, 15_000)
    const boards = new Set(docs.map(recordsJson))
    expect(boards.size, `distinct boards after convergence (${context})`).toBe(1)
    // The edits made while the server was down reached it too.
    for (const w of writers) expect(missingFrom(Y.encodeStateVector(reader.doc), Y.encodeStateVector(w.doc))).toEqual([])
    console.info(`crash drill: ${context}; ${getRecordsMap(reader.doc).size} records on the board after convergence`)
  })
})
