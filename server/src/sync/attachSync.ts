/**
 * The websocket endpoint `/sync/<boardId>`: upgrades on the HTTP server and
 * hands each connection to the room manager through WsRoomSocket. Thin on
 * purpose; the protocol lives in the room core.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { isBoardId } from '../../../shared/boardId'
import { Close, SYNC_PATH } from '../../../shared/protocol'
import { PROTOCOL_PARAM } from '../../../shared/syncHandshake'
import { KEY_PARAM } from '../../../shared/access'
import { PRIVATE_PARAM, PRIVATE_SECRET_PATTERN, privateDocName } from '../../../shared/privateMode'
import { createHash } from 'node:crypto'
import type { Logger } from '../log'
import type { RoomManager } from '../room/RoomManager'
import { WsRoomSocket } from './WsRoomSocket'

// Finds connections whose peer vanished without a FIN (laptop lid closed, NAT
// dropped), which would otherwise count as connected forever.
const HEARTBEAT_MS = 30_000

/** ws' close code for an oversized message. */
const WS_MESSAGE_TOO_BIG = 1009

/** Options of the sync endpoint. */
export interface SyncOptions {
  maxMessageBytes: number
  log: Logger
}

/** Oldest protocol version of our own client that this server still serves. */
const MIN_CLIENT_PROTOCOL = 1

/** What a sync URL asks for: /sync/<boardId>?key=<key>[&protocol=<version>]. */
export interface SyncRequest {
  boardId: string
  /** The board link's key; null when none was sent. */
  key: string | null
  /** The secret of this person's private document (private mode); null for the board's own document. */
  privateSecret: string | null
  /** The client's PROTOCOL_VERSION; null for a stock provider that sent none. */
  protocol: number | null
}

/** Parses a sync request URL; undefined for paths outside /sync/. */
export function parseSyncUrl(url: string | undefined): SyncRequest | undefined {
  // A request target such as `//[` is not a URL at all; it is simply not ours.
  if (!URL.canParse(url ?? '/', 'http://localhost')) return undefined
  const parsed = new URL(url ?? '/', 'http://localhost')
  if (!parsed.pathname.startsWith(`${SYNC_PATH}/`)) return undefined
  const raw = parsed.searchParams.get(PROTOCOL_PARAM)
  // A malformed version counts as 0: older than anything we serve.
  const protocol = raw === null ? null : /^\d+$/.test(raw) ? Number(raw) : 0
  return {
    boardId: parsed.pathname.slice(SYNC_PATH.length + 1),
    key: parsed.searchParams.get(KEY_PARAM),
    privateSecret: parsed.searchParams.get(PRIVATE_PARAM),
    protocol,
  }
}

/** How long stopping waits for clients to finish the closing handshake before cutting them off. */
const STOP_GRACE_MS = 2_000

/** Serves websocket sync on `server`; returns a function that stops it (call after closing the sockets). */
export function attachSync(server: Server, rooms: RoomManager, { maxMessageBytes, log }: SyncOptions): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false })
  const alive = new WeakSet<WebSocket>()

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Runs outside express and outside any connection: anything it throws would end the process.
    try {
      const request = parseSyncUrl(req.url)
      if (request === undefined) {
        socket.destroy()
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, request))
    } catch (error) {
      // Never the query: it carries the board key.
      log.warn('refused a websocket upgrade that could not be handled', { path: req.url?.split('?')[0], error: String(error) })
      socket.destroy()
    }
  }

  const onConnection = (ws: WebSocket, { boardId, key, privateSecret, protocol }: SyncRequest) => {
    renameOversizeClose(ws)
    const socket = new WsRoomSocket(ws)
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    ws.on('error', (error) => log.debug('websocket error', { boardId, error: String(error) }))
    ws.on('close', () => rooms.handleSocketClose(socket))
    // The browser only learns why through the close code, so accept first, then close.
    if (!isBoardId(boardId)) {
      socket.close(Close.unknownBoard.code, Close.unknownBoard.reason)
      return
    }
    if (protocol !== null && protocol < MIN_CLIENT_PROTOCOL) {
      socket.close(Close.protocolTooOld.code, Close.protocolTooOld.reason)
      return
    }
    if (privateSecret !== null && !PRIVATE_SECRET_PATTERN.test(privateSecret)) {
      socket.close(Close.forbidden.code, Close.forbidden.reason)
      return
    }
    // Named after a hash of the secret: the name (in logs, in storage) does not open the document.
    const docName = privateSecret === null ? boardId : privateDocName(boardId, createHash('sha256').update(privateSecret).digest('base64url'))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary || !Buffer.isBuffer(data)) {
        rooms.handleSocketClose(socket)
        socket.close(Close.badMessage.code, Close.badMessage.reason)
        return
      }
      guarded(socket, () => rooms.handleSocketMessage(socket, data))
    })
    guarded(socket, () => rooms.handleSocketConnect(socket, boardId, { hello: protocol !== null, key, docName }))
  }

  // A bug while handling one connection must cost that connection, not the process.
  const guarded = (socket: WsRoomSocket, work: () => void) => {
    try {
      work()
    } catch (error) {
      log.error('sync handler failed', { error })
      rooms.handleSocketClose(socket)
      socket.close(Close.serverError.code, Close.serverError.reason)
    }
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  server.on('upgrade', onUpgrade)
  return async () => {
    clearInterval(heartbeat)
    server.off('upgrade', onUpgrade)
    // Let close frames (with our close code) reach the clients before the TCP sockets go.
    const deadline = Date.now() + STOP_GRACE_MS
    while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    for (const ws of wss.clients) ws.terminate()
    wss.close()
  }
}

/**
 * ws enforces maxPayload itself (before buffering the frame) and closes with
 * the generic 1009; this renames that close to our message-too-large so the
 * client can tell the user what happened.
 */
function renameOversizeClose(ws: WebSocket): void {
  const close = ws.close.bind(ws)
  ws.close = (code?: number, reason?: string | Buffer) =>
    code === WS_MESSAGE_TOO_BIG ? close(Close.messageTooLarge.code, Close.messageTooLarge.reason) : close(code, reason)
}
