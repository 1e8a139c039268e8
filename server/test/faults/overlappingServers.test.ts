/**
 * Fault: an overlapping deploy. The new server process starts on the same
 * DATA_DIR while the old one is still serving (a rolling update that starts
 * the new instance first, a second `npm run serve` in another terminal, a
 * supervisor restarting a process that is not quite dead).
 *
 * Acceptable outcomes: the second process refuses to start with a message
 * naming the problem, or both serve and nothing anyone saw is lost. What a user
 * must never notice: edits another participant saw, gone after the restart,
 * because each process compacted its own view of the board over the other's.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { getRecordsMap, putRecord } from '../../../shared/documentLayout'
import { connectClient, createBoard, waitFor, type TestClient } from '../../test-utils/startServer'
import { noteRecord } from './helpers/boardState'
import { startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'

const ENV = { COMPACT_AFTER_UPDATES: '3', ROOM_IDLE_MS: '600000' }

describe('two server processes on one DATA_DIR', () => {
  const servers: FixedPortServer[] = []
  const clients: TestClient[] = []
  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const server of servers) await server.kill9()
  })

  it('either refuses the second process or loses nothing anyone saw', async () => {
    const old = await startFixedPortServer({ env: ENV })
    servers.push(old)
    const board = await createBoard(old.url, 'Deploy day')
    const connect = (server: FixedPortServer) => {
      const client = connectClient(server.wsUrl, board.id)
      clients.push(client)
      return client
    }
    const ana = connect(old)
    const bram = connect(old)
    await Promise.all([ana.synced, bram.synced])
    const write = async (author: TestClient, witness: TestClient, id: string) => {
      putRecord(getRecordsMap(author.doc), noteRecord(id, 1, 1, id))
      await waitFor(() => getRecordsMap(witness.doc).has(id), `${id} to be seen`)
    }
    await write(ana, bram, 'shape:before-deploy')

    let fresh: FixedPortServer
    try {
      fresh = await startFixedPortServer({ dataDir: old.dataDir, env: ENV })
    } catch (error) {
      // Refusing is fine, as long as it says why.
      expect(String(error)).toMatch(/DATA_DIR|in use|locked|another/i)
      return
    }
    servers.push(fresh)
    const carl = connect(fresh)
    const dana = connect(fresh)
    await Promise.all([carl.synced, dana.synced])
    // Both processes keep taking edits for a moment, each compacting every 3.
    for (let i = 0; i < 4; i++) {
      await write(ana, bram, `shape:old-${i}`)
      await write(carl, dana, `shape:new-${i}`)
    }
    const seen = ['shape:before-deploy', ...[0, 1, 2, 3].flatMap((i) => [`shape:old-${i}`, `shape:new-${i}`])]

    expect(await old.stop()).toBe(0)
    expect(await fresh.stop()).toBe(0)
    const after = await startFixedPortServer({ dataDir: old.dataDir, env: ENV })
    servers.push(after)
    const reader = connect(after)
    await reader.synced
    const lost = seen.filter((id) => !getRecordsMap(reader.doc).has(id))
    expect(lost, 'edits that somebody saw, missing after both processes stopped').toEqual([])
  })
})
