/**
 * Fault: another process holds the database's write lock for a while (an
 * operator's `sqlite3 whiteboard.db` shell left inside `BEGIN IMMEDIATE`, a
 * maintenance script, a backup tool taking a write lock).
 *
 * What the docs promise for storage that refuses writes: editing continues
 * and is relayed, people are told it is not saved, and everything is stored
 * once storage is back. What a user must not notice: the whole server
 * freezing (no relays, /healthz silent) for as long as the lock is held.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { getRecordsMap, putRecord } from '../../../shared/documentLayout'
import { connectClient, createBoard, waitFor, type TestClient } from '../../test-utils/startServer'
import { noteRecord, sleep } from './helpers/boardState'
import { startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'
import { pollHealth } from './helpers/healthPoller'

const LOCK_MS = 8000

describe('another process holds the database write lock', () => {
  const servers: FixedPortServer[] = []
  const clients: TestClient[] = []
  let db: Database.Database | undefined
  afterAll(async () => {
    if (db?.inTransaction) db.prepare('ROLLBACK').run()
    db?.close()
    for (const client of clients) client.destroy()
    for (const server of servers) await server.kill9()
  })

  it('keeps relaying edits and answering /healthz, and stores everything once the lock is gone', async () => {
    const server = await startFixedPortServer({ env: { ROOM_IDLE_MS: '600000' } })
    servers.push(server)
    const board = await createBoard(server.url, 'Locked')
    const ana = connectClient(server.wsUrl, board.id)
    const bram = connectClient(server.wsUrl, board.id)
    clients.push(ana, bram)
    await Promise.all([ana.synced, bram.synced])

    db = new Database(path.join(server.dataDir, 'whiteboard.db'))
    db.prepare('BEGIN IMMEDIATE').run()
    const lockedAt = Date.now()
    const poller = pollHealth(server.url, 100)
    const relayMs: number[] = []
    let n = 0
    while (Date.now() - lockedAt < LOCK_MS) {
      const id = `shape:while-locked-${n++}`
      const sent = Date.now()
      putRecord(getRecordsMap(ana.doc), noteRecord(id, n, n, id))
      await waitFor(() => getRecordsMap(bram.doc).has(id), `Bram to see ${id}`, 30_000)
      relayMs.push(Date.now() - sent)
      await sleep(100)
    }
    db.prepare('ROLLBACK').run()
    db.close()
    db = undefined
    const samples = await poller.stop()
    const maxHealth = Math.max(...samples.map((s) => s.ms))
    console.info(`database locked ${LOCK_MS} ms: ${n} edits, relay max ${Math.max(...relayMs)} ms, /healthz max ${maxHealth} ms over ${samples.length} polls; relays ${relayMs.join(',')}; health ${samples.map((s) => s.ms).join(',')}`)
    expect(Math.max(...relayMs), 'slowest relay of an edit while the database was locked (ms)').toBeLessThan(1000)
    expect(maxHealth, 'slowest /healthz while the database was locked (ms)').toBeLessThan(1000)

    // Once the lock is gone, everything written meanwhile is stored.
    await sleep(3000)
    await server.kill9()
    const restarted = await startFixedPortServer({ dataDir: server.dataDir, env: { ROOM_IDLE_MS: '600000' } })
    servers.push(restarted)
    const reader = connectClient(restarted.wsUrl, board.id)
    clients.push(reader)
    await reader.synced
    const missing = Array.from({ length: n }, (_, i) => `shape:while-locked-${i}`).filter((id) => !getRecordsMap(reader.doc).has(id))
    expect(missing, 'edits made while the database was locked, missing after a crash').toEqual([])
  })
})
