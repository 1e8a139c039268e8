/**
 * Operator story: the disk fills up (or the database turns read-only) in the
 * middle of a workshop. People keep working and seeing each other's edits,
 * they are told their work is not being saved, and once storage is back
 * everything, including what was written meanwhile, is stored.
 *
 * Runs the real server in-process with the real SQLite adapter wrapped so its
 * writes can be made to fail, since a full disk cannot be arranged portably.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { StatusNotice } from '../../shared/protocol'
import { MessageType } from '../../shared/protocol'
import { decodeStatusFrame } from '../../shared/statusFrame'
import { getRecordsMap } from '../../shared/documentLayout'
import { startBreakableServer, type BreakableServer } from '../test-utils/breakableStorage'
import { connectClient, createBoard, waitFor, type TestClient } from '../test-utils/startServer'
import { addNote } from '../test-utils/records'

function watchStatus(client: TestClient): StatusNotice[] {
  const notices: StatusNotice[] = []
  client.provider.messageHandlers[MessageType.Status] = (_encoder, decoder) => {
    const notice = decodeStatusFrame(decoder.arr)
    if (notice) notices.push(notice)
  }
  return notices
}

describe('storage fails during a session', () => {
  let server: BreakableServer
  let storage: BreakableServer['storage']
  let url: string

  beforeAll(async () => {
    server = await startBreakableServer()
    storage = server.storage
    url = server.url
  })
  afterAll(async () => {
    await server?.shutdown()
  })

  it('keeps people working, tells them, and stores everything once storage is back', async () => {
    const board = await createBoard(url)
    const ana = connectClient(server.wsUrl, board.id)
    const bram = connectClient(server.wsUrl, board.id)
    const [anaNotices, bramNotices] = [watchStatus(ana), watchStatus(bram)]
    await Promise.all([ana.synced, bram.synced])

    storage.broken = true
    addNote(ana.doc, 'shape:unsaved')
    await waitFor(() => getRecordsMap(bram.doc).has('shape:unsaved'), 'Bram to see the edit made while storage is down')
    await waitFor(() => anaNotices.length > 0 && bramNotices.length > 0, 'both to be told')
    expect(anaNotices).toEqual([{ kind: 'storage', ok: false }])
    expect(bramNotices).toEqual([{ kind: 'storage', ok: false }])
    // Still down: more work, still relayed.
    addNote(bram.doc, 'shape:also-unsaved')
    await waitFor(() => getRecordsMap(ana.doc).has('shape:also-unsaved'), 'Ana to see the second edit')

    storage.broken = false
    await waitFor(() => anaNotices.length === 2 && bramNotices.length === 2, 'both to be told storage is back', 10_000)
    expect(anaNotices.at(-1)).toEqual({ kind: 'storage', ok: true })

    // What storage now holds, read independently of the running room.
    const stored = (await storage.loadDocument(board.id))!
    const doc = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const update of stored.updates) Y.applyUpdate(doc, update)
    expect(getRecordsMap(doc).has('shape:unsaved')).toBe(true)
    expect(getRecordsMap(doc).has('shape:also-unsaved')).toBe(true)
    ana.destroy()
    bram.destroy()
  })
})
