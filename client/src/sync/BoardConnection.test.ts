/**
 * BoardConnection against a small in-test sync server (stock y-protocols), in
 * Node: pending-change counting, our Status frame, and named close reasons.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { Close, MessageType, PROTOCOL_VERSION } from '../../../shared/protocol'
import { encodeStatusFrame } from '../../../shared/statusFrame'
import { BoardConnection, changedRecordIds, reconnectDelay } from './BoardConnection'

const BOARD_ID = 'q3Zb1v0mS9uJx2cF4yTt8A'

interface TestServer {
  wss: WebSocketServer
  doc: Y.Doc
  sockets: WebSocket[]
  /** Request URL of every connection, in order. */
  urls: string[]
  /** When false the server accepts sockets but never answers sync (a stalled server). */
  answerSync: boolean
}

let server: TestServer
let connections: BoardConnection[] = []

function startServer(): Promise<TestServer> {
  const doc = new Y.Doc()
  doc.getMap('tl_records').set('page:page', new Y.Map())
  const state: TestServer = { wss: new WebSocketServer({ port: 0, host: '127.0.0.1' }), doc, sockets: [], urls: [], answerSync: true }
  state.wss.on('connection', (socket, request) => {
    state.sockets.push(socket)
    state.urls.push(request.url ?? '')
    socket.on('message', (data: Buffer) => {
      if (!state.answerSync) return
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) !== MessageType.Sync) return
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.readSyncMessage(decoder, encoder, doc, null)
      if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder))
    })
    if (state.answerSync) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.writeSyncStep1(encoder, doc)
      socket.send(encoding.toUint8Array(encoder))
    }
  })
  return new Promise((resolve) => state.wss.on('listening', () => resolve(state)))
}

function connect(): BoardConnection {
  const connection = new BoardConnection(BOARD_ID, 'k'.repeat(22))
  connections.push(connection)
  return connection
}

async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

beforeEach(async () => {
  server = await startServer()
  const { port } = server.wss.address() as AddressInfo
  vi.stubGlobal('window', new EventTarget())
  vi.stubGlobal('navigator', { onLine: true })
  vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${port}` })
  vi.stubGlobal('WebSocket', WebSocket)
  // No HTTP server here: the preload fails and the websocket brings the board (tests below override).
  vi.stubGlobal('fetch', async () => new Response('', { status: 404 }))
})

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.destroy()
  vi.unstubAllGlobals()
  await new Promise((resolve) => server.wss.close(resolve))
})

function localEdit(connection: BoardConnection, key: string) {
  connection.doc.transact(() => connection.doc.getMap('tl_records').set(key, new Y.Map()), 'local-binding')
}

describe('reconnectDelay', () => {
  it('grows exponentially, is capped, and spreads clients by ±50 %', () => {
    expect(reconnectDelay(0, 0)).toBe(250)
    expect(reconnectDelay(0, 1)).toBe(750)
    expect(reconnectDelay(2, 0.5)).toBe(2000)
    expect(reconnectDelay(20, 0.5)).toBe(8000)
    const spread = new Set(Array.from({ length: 20 }, () => Math.round(reconnectDelay(1))))
    expect(spread.size).toBeGreaterThan(1)
  })
})

describe('BoardConnection', () => {
  it('becomes online and ready once synced with the server', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    expect(connection.getSnapshot()).toMatchObject({ load: 'ready', pending: 0, storageOk: true, closedFor: null })
  })

  it('counts local edits made while not synced, and clears them once the server has them', async () => {
    server.answerSync = false
    const connection = connect()
    localEdit(connection, 'shape:a')
    localEdit(connection, 'shape:b')
    expect(connection.getSnapshot().pending).toBe(2)
    expect(connection.getSnapshot().status).not.toBe('online')

    // The server comes back to life: on the next connection it syncs.
    server.answerSync = true
    for (const socket of server.sockets) socket.close()
    await until(() => connection.getSnapshot().status === 'online' && connection.getSnapshot().pending === 0, 'synced')
    await until(() => server.doc.getMap('tl_records').has('shape:b'), 'edit on the server')
  })

  it('does not count updates that come from the server', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    server.doc.getMap('tl_records').set('shape:remote', new Y.Map())
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(server.doc))
    server.sockets.at(-1)!.send(encoding.toUint8Array(encoder))
    await until(() => connection.doc.getMap('tl_records').has('shape:remote'), 'remote update')
    expect(connection.getSnapshot().pending).toBe(0)
  })

  it('shows when the server cannot store the board, and when it can again', async () => {
    const connection = connect()
    await until(() => server.sockets.length > 0, 'connection')
    server.sockets[0].send(encodeStatusFrame({ kind: 'storage', ok: false }))
    await until(() => !connection.getSnapshot().storageOk, 'storage warning')
    server.sockets[0].send(encodeStatusFrame({ kind: 'storage', ok: true }))
    await until(() => connection.getSnapshot().storageOk, 'storage restored')
  })

  it('follows the server hello (read-only), and stops on protocol-too-old', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    server.sockets[0].send(encodeStatusFrame({ kind: 'hello', protocolVersion: PROTOCOL_VERSION, readOnly: true }))
    await until(() => connection.getSnapshot().readOnly, 'read-only')
    server.sockets[0].close(Close.protocolTooOld.code, Close.protocolTooOld.reason)
    await until(() => connection.getSnapshot().closedFor === 'protocolTooOld', 'protocol too old')
    expect(connection.provider.shouldConnect).toBe(false)
  })

  it('announces its protocol version in the sync URL', async () => {
    connect()
    await until(() => server.urls.length > 0, 'connection')
    expect(server.urls[0]).toContain(`/sync/${BOARD_ID}?protocol=${PROTOCOL_VERSION}`)
  })

  it('stops reconnecting and says why on a permanent close (board deleted)', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    server.sockets[0].close(Close.boardDeleted.code, Close.boardDeleted.reason)
    await until(() => connection.getSnapshot().closedFor === 'boardDeleted', 'closed reason')
    expect(connection.getSnapshot().status).toBe('offline')
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(server.sockets).toHaveLength(1)
  })

  it('reconnects after a close that is not permanent (too slow)', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    server.sockets[0].close(Close.tooSlow.code, Close.tooSlow.reason)
    await until(() => server.sockets.length === 2, 'reconnect')
    await until(() => connection.getSnapshot().status === 'online', 'online again')
    expect(connection.getSnapshot().closedFor).toBeNull()
  })

  it('comes back after a server restart, at a jittered time', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    server.sockets[0].close(Close.shuttingDown.code, Close.shuttingDown.reason)
    await until(() => connection.getSnapshot().status === 'reconnecting', 'reconnecting')
    await until(() => connection.getSnapshot().status === 'online', 'online again')
    expect(server.sockets).toHaveLength(2)
  })

  it('closes the socket when the device goes offline and reconnects when it is back', async () => {
    const connection = connect()
    await until(() => connection.getSnapshot().status === 'online', 'online')
    vi.stubGlobal('navigator', { onLine: false })
    window.dispatchEvent(new Event('offline'))
    expect(connection.getSnapshot().status).toBe('offline')
    localEdit(connection, 'shape:offline')
    expect(connection.getSnapshot().pending).toBe(1)
    vi.stubGlobal('navigator', { onLine: true })
    window.dispatchEvent(new Event('online'))
    await until(() => connection.getSnapshot().status === 'online' && connection.getSnapshot().pending === 0, 'back online')
    await until(() => server.doc.getMap('tl_records').has('shape:offline'), 'offline edit delivered')
  })
})

describe('BoardConnection preloading a board this browser has never had', () => {
  /** A fetch that answers the document route with the test server's board, noting each call. */
  function serveDocument(calls: { url: string; socketsAtCall: number }[]) {
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push({ url, socketsAtCall: server.sockets.length })
      return new Response(Y.encodeStateAsUpdate(server.doc).slice().buffer, { headers: { 'Content-Type': 'application/octet-stream' } })
    })
  }

  it('fetches the board over HTTP before connecting, and counts none of it as pending', async () => {
    server.doc.getMap('tl_records').set('shape:preloaded', new Y.Map())
    const calls: { url: string; socketsAtCall: number }[] = []
    serveDocument(calls)
    const connection = connect()
    await until(() => connection.doc.getMap('tl_records').has('shape:preloaded'), 'preloaded board')
    expect(calls).toEqual([{ url: `/api/boards/${BOARD_ID}/document`, socketsAtCall: 0 }])
    expect(connection.getSnapshot().pending).toBe(0)
    await until(() => connection.getSnapshot().status === 'online', 'online')
    expect(connection.getSnapshot()).toMatchObject({ load: 'ready', pending: 0 })
    expect(server.sockets).toHaveLength(1)
  })

  it('connects as before when the preload fails', async () => {
    server.doc.getMap('tl_records').set('shape:remote', new Y.Map())
    for (const failure of [
      async () => {
        throw new TypeError('Failed to fetch')
      },
      async () => new Response('{}', { status: 503, headers: { 'Content-Type': 'application/json' } }),
      async () => new Response(new Uint8Array([200, 1, 2, 3]).buffer, { headers: { 'Content-Type': 'application/octet-stream' } }),
    ]) {
      vi.stubGlobal('fetch', failure)
      const connection = connect()
      await until(() => connection.getSnapshot().status === 'online', 'online')
      expect(connection.doc.getMap('tl_records').has('shape:remote')).toBe(true)
      expect(connection.getSnapshot().pending).toBe(0)
    }
  })

  it('opened offline: fetches nothing and connects once the network is back', async () => {
    const calls: { url: string; socketsAtCall: number }[] = []
    serveDocument(calls)
    vi.stubGlobal('navigator', { onLine: false })
    const connection = connect()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.sockets).toHaveLength(0)
    expect(connection.getSnapshot().status).toBe('offline')
    vi.stubGlobal('navigator', { onLine: true })
    window.dispatchEvent(new Event('online'))
    await until(() => connection.getSnapshot().status === 'online', 'online')
    expect(calls).toEqual([])
  })
})

describe('changedRecordIds', () => {
  it('names each changed record once, however many of its fields a transaction touched', () => {
    const doc = new Y.Doc()
    const records = doc.getMap<Y.Map<unknown>>('tl_records')
    const seen: string[][] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => seen.push(changedRecordIds(transaction, records)))
    doc.transact(() => {
      const note = new Y.Map<unknown>()
      note.set('props', new Y.Map())
      records.set('shape:a', note)
    })
    doc.transact(() => {
      const note = records.get('shape:a')!
      note.set('x', 5)
      ;(note.get('props') as Y.Map<unknown>).set('color', 'blue')
    })
    doc.transact(() => records.delete('shape:a'))
    expect(seen).toEqual([['shape:a'], ['shape:a'], ['shape:a']])
  })
})
