/**
 * Operator story: a broken or hostile client is disconnected with a named
 * reason, alone, while the honest people on the same board keep working.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/documentLayout'
import { Close, MessageType } from '../../shared/protocol'
import { connectClient, createBoard, health, startServer, syncUrl, waitFor, type TestClient, type TestServer } from '../test-utils/startServer'
import { addNote } from '../test-utils/records'

interface RawClient {
  ws: WebSocket
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
}

function rawClient(url: string): RawClient {
  const ws = new WebSocket(url)
  ws.on('error', () => {})
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return { ws, opened, closed }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

const MAX_MESSAGE_BYTES = 64 * 1024

describe('misbehaving clients', () => {
  let server: TestServer
  let boardId: string
  let ana: TestClient
  let bram: TestClient
  let edits = 0

  /** Ana edits; passes only if Bram receives it, i.e. the room still works for honest people. */
  async function honestPeopleStillSync(): Promise<void> {
    const id = `shape:still-working-${edits++}`
    addNote(ana.doc, id)
    await waitFor(() => getRecordsMap(bram.doc).has(id), `Bram to see ${id}`)
    expect(ana.provider.wsconnected && bram.provider.wsconnected).toBe(true)
  }

  async function expectClosedAlone(send: (ws: WebSocket) => void, expected: { code: number; reason: string }) {
    const rogue = rawClient(syncUrl(server.wsUrl, boardId))
    await rogue.opened
    send(rogue.ws)
    expect(await rogue.closed).toEqual(expected)
    await honestPeopleStillSync()
  }

  beforeAll(async () => {
    server = await startServer({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } })
    boardId = (await createBoard(server.url)).id
    ana = connectClient(server.wsUrl, boardId)
    bram = connectClient(server.wsUrl, boardId)
    await Promise.all([ana.synced, bram.synced])
  })
  afterAll(async () => {
    ana?.destroy()
    bram?.destroy()
    await server?.stop()
  })

  const badMessage = { code: Close.badMessage.code, reason: Close.badMessage.reason }

  it('closes a client sending garbage bytes with bad-message', async () => {
    await expectClosedAlone((ws) => ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff])), badMessage)
  })

  it('closes a client sending an unknown message type with bad-message', async () => {
    await expectClosedAlone((ws) => ws.send(frame((e) => encoding.writeVarUint(e, 42))), badMessage)
    await expectClosedAlone((ws) => ws.send(frame((e) => encoding.writeVarUint(e, MessageType.Status))), badMessage)
  })

  it('closes a client sending a truncated update with bad-message, and stores none of it', async () => {
    const doc = new Y.Doc()
    getRecordsMap(doc).set('shape:truncated', new Y.Map<unknown>([['id', 'shape:truncated'], ['text', 'x'.repeat(200)]]))
    const update = Y.encodeStateAsUpdate(doc)
    const truncated = frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      encoding.writeVarUint(e, 2) // y-protocols: update
      encoding.writeVarUint8Array(e, update.slice(0, update.length - 20))
    })
    await expectClosedAlone((ws) => ws.send(truncated), badMessage)
    // A late joiner loads the board fine and never sees the broken shape.
    const late = connectClient(server.wsUrl, boardId)
    await late.synced
    expect(getRecordsMap(late.doc).has('shape:truncated')).toBe(false)
    late.destroy()
  })

  it('closes a client sending a text frame with bad-message', async () => {
    await expectClosedAlone((ws) => ws.send('hello'), badMessage)
  })

  it('closes a client sending an oversized frame with message-too-large', async () => {
    const huge = new Uint8Array(MAX_MESSAGE_BYTES + 1)
    await expectClosedAlone((ws) => ws.send(huge), { code: Close.messageTooLarge.code, reason: Close.messageTooLarge.reason })
  })

  it('closes a connection to an unknown board with unknown-board (4404)', async () => {
    const expected = { code: 4404, reason: 'unknown-board' }
    const missing = rawClient(`${server.wsUrl}/AAAAAAAAAAAAAAAAAAAAAA`)
    expect(await missing.closed).toEqual(expected)
    const malformed = rawClient(`${server.wsUrl}/not-a-board`)
    expect(await malformed.closed).toEqual(expected)
    // The stock provider sees the same code and, being a 44xx, stops retrying.
    const stock = connectClient(server.wsUrl, 'BBBBBBBBBBBBBBBBBBBBBB')
    expect(await stock.closed).toEqual(expected)
    stock.destroy()
    await honestPeopleStillSync()
  })

  it('refuses websocket upgrades outside /sync', async () => {
    const elsewhere = rawClient(server.wsUrl.replace('/sync', '/elsewhere'))
    const closed = await elsewhere.closed
    expect(closed.code).toBe(1006)
    expect((await health(server.url)).connections).toBe(2)
  })
})
