/**
 * One loaded board: its Y.Doc, its connected sockets and its presence.
 * Speaks the stock y-websocket protocol (y-protocols sync + awareness) so the
 * unmodified WebsocketProvider connects. Transport-free (RoomSocket) and
 * storage-free (RoomPersistence); a Room is only ever built from a document
 * that has finished loading, so it never answers a sync request early.
 */
import { toBase64 } from 'lib0/buffer'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { Close, MessageType, type CloseReason } from '../../../shared/protocol'
import { encodeStatusFrame } from '../../../shared/statusFrame'
import type { Logger } from '../log'
import { helloFrame, syncStep1Frame, syncStep2Frame, syncStep2FrameFromUpdate, updateFrame } from './frames'
import { PresenceRelay } from './PresenceRelay'
import { DocumentWriter } from './DocumentWriter'
import type { RoomPersistence } from './RoomPersistence'
import type { RoomSocket } from './RoomSocket'

/** Everything a room needs, handed in by the room manager (or a test). */
export interface RoomOptions {
  boardId: string
  /** The board's document, fully loaded from storage. */
  doc: Y.Doc
  /** Sequence number of the last stored update already in `doc`. */
  lastSeq: number
  persistence: RoomPersistence
  log: Logger
  /** Unsent bytes a socket may hold before it is closed with too-slow. */
  maxBufferedBytes: number
  /** Stored updates after which the document is compacted to a snapshot. */
  compactAfterUpdates: number
  /** The document encoded as one update, when the caller already has it (a stored snapshot). */
  fullState?: Uint8Array
  /** Minimum interval between presence frames, i.e. longest added presence latency (default 30 ms). */
  awarenessFlushMs?: number
  /** How often a room whose storage failed retries writing a snapshot. */
  storageRetryMs?: number
  /** Called whenever the last socket has left. */
  onEmpty?: () => void
  /** Called when the room itself closes a socket (too slow, bad frame), before the transport reports it. */
  onDisconnect?: (socket: RoomSocket) => void
}

class BadMessage extends Error {}

// Each entry can be as large as the board; a handful covers the common shared state vectors.
const STEP2_CACHE_ENTRIES = 8
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

function stateVectorKey(stateVector: Uint8Array): string {
  return toBase64(stateVector)
}

/** A board being edited: relays document updates and presence between its sockets. */
export class Room {
  readonly boardId: string
  readonly doc: Y.Doc
  private readonly sockets = new Set<RoomSocket>()
  private readonly presence: PresenceRelay
  private readonly options: RoomOptions
  private readonly log: Logger
  private readonly writer: DocumentWriter
  /** No new sockets; queued storage work still completes (shutdown). */
  private closed = false
  /**
   * Step 2 frames by the state vector they answer, until the next change. When a
   * workshop starts everyone opens the board with the same (empty) state vector,
   * and after a restart everyone reconnects with the same (complete) one; each
   * would otherwise cost an encoding of the whole document.
   */
  private readonly step2Cache = new Map<string, Uint8Array>()
  /**
   * Largest sync step 2 sent so far, roughly the size of the board. A client
   * joining a big board is legitimately behind by that much for a moment; only
   * beyond it plus maxBufferedBytes does it count as too slow.
   */
  private largestStep2 = 0

  constructor(options: RoomOptions) {
    this.options = options
    this.boardId = options.boardId
    this.doc = options.doc
    this.log = options.log
    this.writer = new DocumentWriter({
      boardId: options.boardId,
      doc: options.doc,
      persistence: options.persistence,
      lastSeq: options.lastSeq,
      compactAfterUpdates: options.compactAfterUpdates,
      retryMs: options.storageRetryMs ?? 2000,
      log: options.log,
      onStorageStatus: (ok) => this.sendToAll(encodeStatusFrame({ kind: 'storage', ok })),
    })
    this.presence = new PresenceRelay(this.doc, options.awarenessFlushMs ?? 30, (frame) => this.sendToAll(frame))
    if (options.fullState) {
      const frame = syncStep2FrameFromUpdate(options.fullState)
      this.step2Cache.set(stateVectorKey(EMPTY_STATE_VECTOR), frame)
      this.largestStep2 = frame.byteLength
    }
  }

  /** Number of sockets currently in the room. */
  get socketCount(): number {
    return this.sockets.size
  }

  /** True while edits are being stored (an unload must wait for them). */
  get writing(): boolean {
    return this.writer.busy
  }

  /** True while the room could not write to storage and holds edits only in memory. */
  get storageDegraded(): boolean {
    return this.writer.degraded
  }

  /**
   * Admits a socket: sends our state vector and who is present. A client that
   * declared our protocol (`hello`) first gets a hello notice; the stock
   * provider would log an error for a message type it does not know.
   */
  handleSocketConnect(socket: RoomSocket, options: { hello?: boolean } = {}): void {
    if (this.closed) {
      socket.close(Close.shuttingDown.code, Close.shuttingDown.reason)
      return
    }
    this.sockets.add(socket)
    if (options.hello) this.send(socket, helloFrame())
    this.send(socket, syncStep1Frame(this.doc))
    const presence = this.presence.fullStateFrame()
    if (presence) this.send(socket, presence)
    if (this.writer.degraded) this.send(socket, encodeStatusFrame({ kind: 'storage', ok: false }))
  }

  /** Handles one binary frame; a malformed one closes only that socket. */
  handleSocketMessage(socket: RoomSocket, data: Uint8Array): void {
    if (!this.sockets.has(socket)) return
    try {
      this.readMessage(socket, data)
    } catch (error) {
      this.log.info('closing socket after a malformed frame', { boardId: this.boardId, error: String(error) })
      this.disconnect(socket, Close.badMessage)
    }
  }

  /** Forgets a socket that closed (or that the room closed). */
  handleSocketClose(socket: RoomSocket): void {
    if (!this.sockets.delete(socket)) return
    this.presence.removeSocket(socket)
    if (this.sockets.size === 0) this.options.onEmpty?.()
  }

  /**
   * Writes a snapshot if anything is not yet compacted (or storage failed
   * earlier). Resolves to true when storage holds the whole document.
   */
  flush(): Promise<boolean> {
    return this.writer.flush()
  }

  /** Closes every socket with `reason` and stops relaying; call flush() after if the data matters. */
  close(reason: CloseReason): void {
    this.closed = true
    for (const socket of Array.from(this.sockets)) this.disconnect(socket, reason)
  }

  /** Frees timers and the document. The room must not be used afterwards. */
  destroy(): void {
    this.closed = true
    this.writer.stop()
    this.presence.destroy()
    this.doc.destroy()
  }

  private readMessage(socket: RoomSocket, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync:
        return this.readSync(socket, decoder)
      case MessageType.Awareness:
        return this.presence.apply(socket, decoding.readVarUint8Array(decoder))
      case MessageType.QueryAwareness: {
        const frame = this.presence.fullStateFrame()
        if (frame) this.send(socket, frame)
        return
      }
      default:
        throw new BadMessage(`unknown message type ${type}`)
    }
  }

  private readSync(socket: RoomSocket, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder)
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = decoding.readVarUint8Array(decoder)
        Y.decodeStateVector(stateVector) // validates before it becomes a cache key
        this.writer.afterWrites(() => {
          if (this.sockets.has(socket)) this.send(socket, this.step2For(stateVector))
        })
        return
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder)
        // Parsed here so a truncated or garbage update is the sender's bad
        // message (4400), not a failed apply in the middle of the room.
        Y.decodeUpdate(update)
        void this.writer.write(
          () => this.apply(update, socket),
          (change) => this.relay(change, socket),
        )
        return
      }
      default:
        throw new BadMessage(`unknown sync message type ${syncType}`)
    }
  }

  private step2For(stateVector: Uint8Array): Uint8Array {
    const key = stateVectorKey(stateVector)
    let frame = this.step2Cache.get(key)
    if (!frame) {
      frame = syncStep2Frame(this.doc, stateVector)
      this.largestStep2 = Math.max(this.largestStep2, frame.byteLength)
      // Bounded: distinct state vectors between two changes are few in practice.
      if (this.step2Cache.size >= STEP2_CACHE_ENTRIES) this.step2Cache.clear()
      this.step2Cache.set(key, frame)
    }
    return frame
  }

  /** Applies `update` in memory; returns the change it made (null if nothing was new). */
  private apply(update: Uint8Array, origin: RoomSocket): Uint8Array | null {
    const changes: Uint8Array[] = []
    const collect = (change: Uint8Array) => changes.push(change)
    this.doc.on('update', collect)
    try {
      Y.applyUpdate(this.doc, update, origin)
    } catch (error) {
      // Whatever was integrated before the error is in `changes` and gets stored.
      this.log.error('update could not be applied', { boardId: this.boardId, error })
    } finally {
      this.doc.off('update', collect)
    }
    if (changes.length === 0) return null
    this.step2Cache.clear()
    return changes.length === 1 ? changes[0] : Y.mergeUpdates(changes)
  }

  /** Shows a stored change to everyone but its author. */
  private relay(change: Uint8Array, origin: RoomSocket): void {
    const frame = updateFrame(change)
    for (const socket of Array.from(this.sockets)) if (socket !== origin) this.send(socket, frame)
  }

  private sendToAll(frame: Uint8Array): void {
    for (const socket of Array.from(this.sockets)) this.send(socket, frame)
  }

  private send(socket: RoomSocket, frame: Uint8Array): void {
    // A client that stops reading would otherwise grow server memory without bound;
    // closing it is safe, its provider resyncs everything on reconnect.
    if (socket.bufferedAmount > this.options.maxBufferedBytes + this.largestStep2) {
      this.log.info('closing a client that does not keep up', { boardId: this.boardId, buffered: socket.bufferedAmount })
      this.disconnect(socket, Close.tooSlow)
      return
    }
    try {
      socket.send(frame)
    } catch (error) {
      this.log.warn('send failed', { boardId: this.boardId, error: String(error) })
      this.disconnect(socket, Close.serverError)
    }
  }

  private disconnect(socket: RoomSocket, reason: CloseReason): void {
    this.handleSocketClose(socket)
    this.options.onDisconnect?.(socket)
    try {
      socket.close(reason.code, reason.reason)
    } catch (error) {
      this.log.debug('close failed', { error: String(error) })
    }
  }
}
