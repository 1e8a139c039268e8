/**
 * Operator story: the server can be killed, stopped or left idle, and every
 * edit somebody else has already seen is still there afterwards.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/documentLayout'
import { connectClient, createBoard, health, startServer, waitFor, type TestClient, type TestServer } from '../test-utils/startServer'
import { addNote } from '../test-utils/records'

const servers: TestServer[] = []
const clients: TestClient[] = []

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer(options)
  servers.push(server)
  return server
}
function connect(server: TestServer, boardId: string): TestClient {
  const client = connectClient(server.wsUrl, boardId)
  clients.push(client)
  return client
}
function addShape(doc: Y.Doc, id: string, text: string): void {
  addNote(doc, id, text)
}
function shapeText(doc: Y.Doc, id: string): unknown {
  const props = getRecordsMap(doc).get(id)?.get('props') as Y.Map<unknown> | undefined
  return (props?.get('richText') as { content?: { content?: { text?: string }[] }[] } | undefined)?.content?.[0]?.content?.[0]?.text
}
/** What the database holds for a board, read directly (the server is stopped). */
function storedRows(dataDir: string, boardId: string): { logRows: number; snapshotUpto: number } {
  const db = new Database(path.join(dataDir, 'whiteboard.db'), { readonly: true })
  try {
    const logRows = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM updates WHERE board_id = ?').get(boardId)!.n
    const snapshot = db.prepare<[string], { upto_seq: number }>('SELECT upto_seq FROM snapshots WHERE board_id = ?').get(boardId)
    return { logRows, snapshotUpto: snapshot?.upto_seq ?? -1 }
  } finally {
    db.close()
  }
}
async function readBoard(server: TestServer, boardId: string): Promise<Y.Doc> {
  const reader = connect(server, boardId)
  await reader.synced
  return reader.doc
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const server of servers.splice(0)) await server.kill9()
})

describe('durability', () => {
  it('keeps an edit that another person has seen when the server is killed with SIGKILL', async () => {
    const server = await start({ env: { COMPACT_AFTER_UPDATES: '1000' } })
    const board = await createBoard(server.url)
    const ana = connect(server, board.id)
    const bram = connect(server, board.id)
    await Promise.all([ana.synced, bram.synced])
    for (let i = 0; i < 20; i++) addShape(ana.doc, `shape:${i}`, `note ${i}`)
    await waitFor(() => shapeText(bram.doc, 'shape:19') === 'note 19', 'Bram sees the last edit')
    await server.kill9()
    ana.destroy()
    bram.destroy()

    const restarted = await start({ dataDir: server.dataDir })
    const doc = await readBoard(restarted, board.id)
    for (let i = 0; i < 20; i++) expect(shapeText(doc, `shape:${i}`)).toBe(`note ${i}`)
  })

  it('keeps every edit across compactions and a SIGKILL right after one', async () => {
    const server = await start({ env: { COMPACT_AFTER_UPDATES: '7' } })
    const board = await createBoard(server.url)
    const ana = connect(server, board.id)
    const bram = connect(server, board.id)
    await Promise.all([ana.synced, bram.synced])
    for (let i = 0; i < 50; i++) {
      addShape(i % 2 ? ana.doc : bram.doc, `shape:${i}`, `note ${i}`)
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await waitFor(() => shapeText(ana.doc, 'shape:48') && shapeText(bram.doc, 'shape:49'), 'both see all edits')
    await server.kill9()
    // Compaction really ran: a snapshot covers most updates and only the tail is left in the log.
    const stored = storedRows(server.dataDir, board.id)
    expect(stored.snapshotUpto).toBeGreaterThan(0)
    expect(stored.logRows).toBeLessThan(7)

    const restarted = await start({ dataDir: server.dataDir })
    const doc = await readBoard(restarted, board.id)
    for (let i = 0; i < 50; i++) expect(shapeText(doc, `shape:${i}`)).toBe(`note ${i}`)
  })

  it('unloads an idle board and loads it again with its content', async () => {
    const server = await start({ env: { ROOM_IDLE_MS: '150' } })
    const board = await createBoard(server.url)
    const ana = connect(server, board.id)
    await ana.synced
    addShape(ana.doc, 'shape:idle', 'still here')
    await waitFor(async () => (await health(server.url)).rooms === 1, 'room loaded')
    // Let the update reach the server before leaving.
    const bram = connect(server, board.id)
    await bram.synced
    await waitFor(() => shapeText(bram.doc, 'shape:idle') === 'still here', 'edit relayed')
    ana.destroy()
    bram.destroy()
    await waitFor(async () => {
      const h = await health(server.url)
      return h.rooms === 0 && h.connections === 0
    }, 'room unloaded')

    const doc = await readBoard(server, board.id)
    expect(shapeText(doc, 'shape:idle')).toBe('still here')
    expect((await health(server.url)).rooms).toBe(1)
  })

  it('writes everything on SIGTERM, exits 0 and has the data after a restart', async () => {
    const server = await start({ env: { COMPACT_AFTER_UPDATES: '100000', ROOM_IDLE_MS: '600000' } })
    const board = await createBoard(server.url)
    const ana = connect(server, board.id)
    const bram = connect(server, board.id)
    await Promise.all([ana.synced, bram.synced])
    for (let i = 0; i < 10; i++) addShape(ana.doc, `shape:${i}`, `note ${i}`)
    await waitFor(() => shapeText(bram.doc, 'shape:9') === 'note 9', 'Bram sees the edits')
    const closed = bram.closed
    await server.stop() // rejects unless the exit code is 0
    expect(await closed).toEqual({ code: 4503, reason: 'server-shutting-down' })
    // The shutdown flush compacted the board: the whole document is in the snapshot.
    expect(storedRows(server.dataDir, board.id).logRows).toBe(0)

    const restarted = await start({ dataDir: server.dataDir })
    const doc = await readBoard(restarted, board.id)
    for (let i = 0; i < 10; i++) expect(shapeText(doc, `shape:${i}`)).toBe(`note ${i}`)
  })
})
