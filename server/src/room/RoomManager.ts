/**
 * Loads rooms on demand and unloads them when idle. Transport- and
 * storage-free like Room: sockets arrive through RoomSocket, documents through
 * the `load` / `persistenceFor` functions it is given.
 *
 * Races it guards against:
 * - two clients connect to a cold board at once: they share one load;
 * - a client sends frames while its board loads: they are buffered and
 *   replayed after the room exists, so nothing is answered from an empty doc;
 * - a client connects while an idle room is being flushed: the room stays;
 * - a board is deleted while it loads: the loaded room is thrown away.
 */
import * as Y from 'yjs'
import { canEditContent, type Role } from '../../../shared/access'
import { Close, type CloseReason } from '../../../shared/protocol'
import type { Logger } from '../log'
import { Room } from './Room'
import type { PresenceLimits } from './PresenceRelay'
import type { LoadedDocument, RoomPersistence } from './RoomPersistence'
import type { RoomSocket } from './RoomSocket'
import type { WriteGuard } from './WriteGuard'

/** What a key is worth on a board, as decided by the access layer. */
export type Admission = { kind: 'granted'; role: Role } | { kind: 'denied'; reason: CloseReason }

/** Dependencies and limits of the room manager. */
export interface RoomManagerOptions {
  /** Decides whether `key` opens `boardId` (its document `docName`), and as whom. Runs before the board is loaded. */
  admit(boardId: string, key: string | null, docName: string): Promise<Admission>
  /** Rules about what each role may change in a room (see WriteGuard); per document name. */
  createWriteGuard?: (doc: Y.Doc, docName: string) => WriteGuard | undefined
  /** The board a document name belongs to (default: the name itself). */
  boardOf?: (docName: string) => string
  /** Reads a board's document; undefined when the board does not exist. */
  load(boardId: string): Promise<LoadedDocument | undefined>
  /** Storage of one board's document, for its room. */
  persistenceFor(boardId: string): RoomPersistence
  log: Logger
  roomIdleMs: number
  maxBufferedBytes: number
  /**
   * Bytes a client may send while its board loads before it is closed; must
   * admit a reconnecting client's full offline step 2 (default 2 x maxBufferedBytes).
   */
  maxPendingBytes?: number
  compactAfterUpdates: number
  /** Largest board in stored bytes that still takes new content (MAX_BOARD_BYTES); default no limit. */
  maxBoardBytes?: number
  /** Document updates per second a socket may send (MAX_UPDATES_PER_SECOND); default no limit. */
  maxUpdatesPerSecond?: number
  awarenessFlushMs?: number
  storageRetryMs?: number
  /** What one socket may put into a room's presence (default DEFAULT_PRESENCE_LIMITS). */
  presenceLimits?: PresenceLimits
  /**
   * Called when an unload left no room loaded, no load in flight and no socket
   * connected: the moment everything the rooms held became garbage.
   */
  onAllUnloaded?: () => void
}

type LoadOutcome = { kind: 'loaded'; room: Room } | { kind: 'unknown' } | { kind: 'failed' }

interface Session {
  /** The board the socket was admitted to (links, deletion). */
  boardId: string
  /** The document it syncs: the board's, or a private one of that board (shared/privateMode.ts). */
  docName: string
  /** The key the socket presented (so rotating it can cut this socket off). */
  key: string | null
  /** Set once admitted; a socket without a role has been told nothing about the board. */
  role: Role | undefined
  /** The client speaks our protocol and wants the hello notice. */
  hello: boolean
  /** The hello notice went out already (before an early answer from the stored board). */
  greeted: boolean
  room: Room | undefined
  /** Frames received while the board was loading; null once attached. */
  pending: Uint8Array[] | null
  pendingBytes: number
}

/** A board's whole document as derived bytes (see RoomManager.derivedFullState). */
export type DerivedState = { kind: 'found'; bytes: Uint8Array } | { kind: 'unknown' } | { kind: 'failed' }

/** Live counts for /healthz. */
export interface RoomStats {
  rooms: number
  connections: number
}

/** Owns every loaded room and routes socket events to the right one. */
export class RoomManager {
  private readonly rooms = new Map<string, Room>()
  private readonly loads = new Map<string, Promise<LoadOutcome>>()
  private readonly sessions = new Map<RoomSocket, Session>()
  /**
   * Sockets that closed while being admitted or while their board loaded, after
   * sending frames: those frames are still applied (a client that sends an
   * edit and leaves at once has its edit stored), then the socket is let go.
   */
  private readonly draining = new Map<RoomSocket, Session>()
  private readonly idleTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private shuttingDown = false

  constructor(private readonly options: RoomManagerOptions) {}

  /** Counts for monitoring. */
  stats(): RoomStats {
    return { rooms: this.rooms.size, connections: this.sessions.size }
  }

  /**
   * A socket opened for `boardId` (shape already checked by the transport)
   * presenting `key`. It is admitted first, then attached to the (loaded) room;
   * frames it sends meanwhile wait.
   */
  handleSocketConnect(socket: RoomSocket, boardId: string, options: { hello?: boolean; key?: string | null; docName?: string } = {}): void {
    if (this.shuttingDown) {
      socket.close(Close.shuttingDown.code, Close.shuttingDown.reason)
      return
    }
    const key = options.key ?? null
    const docName = options.docName ?? boardId
    const session: Session = { boardId, docName, key, role: undefined, hello: options.hello ?? false, greeted: false, room: undefined, pending: [], pendingBytes: 0 }
    this.sessions.set(socket, session)
    void this.options.admit(boardId, key, docName).then(
      (admission) => {
        if (!this.isWaiting(socket, session)) return
        if (admission.kind === 'denied') return this.reject(socket, admission.reason)
        // A private document holds its owner's own notes: only someone who may write has one.
        if (docName !== boardId && !canEditContent(admission.role)) return this.reject(socket, Close.forbidden)
        session.role = admission.role
        const room = this.rooms.get(docName)
        if (room) return this.attach(socket, session, room)
        void this.loadRoom(docName).then((outcome) => {
          if (!this.isWaiting(socket, session)) return
          if (outcome.kind === 'loaded') this.attach(socket, session, outcome.room)
          else this.reject(socket, outcome.kind === 'unknown' ? Close.unknownBoard : Close.loadFailed)
        })
      },
      (error: unknown) => {
        this.options.log.error('admission failed', { boardId, error })
        if (this.isWaiting(socket, session)) this.reject(socket, Close.loadFailed)
      },
    )
  }

  /** Still to be attached: connected, or closed after sending frames that must not be dropped. */
  private isWaiting(socket: RoomSocket, session: Session): boolean {
    return this.sessions.get(socket) === session || this.draining.get(socket) === session
  }

  /** Reads a board's document (loading it if needed); undefined when the board does not exist. */
  async readBoard<T>(boardId: string, read: (doc: Y.Doc) => T): Promise<T | undefined> {
    if (this.shuttingDown) return undefined
    let room = this.rooms.get(boardId)
    if (!room) {
      const outcome = await this.loadRoom(boardId)
      if (outcome.kind !== 'loaded') return undefined
      room = outcome.room
    }
    let doc: Y.Doc
    try {
      doc = room.doc
    } catch {
      return undefined // its stored bytes could not be read; the room has dropped itself
    }
    return read(doc)
  }

  /**
   * A document's whole state as one update, passed through `derive` (compressed
   * for HTTP) once per `key` until it next changes (Room.derivedFullState).
   * Loads the board if nobody has it open, without building its Y.Doc.
   * 'unknown': no such board; 'failed': it could not be loaded or read.
   */
  async derivedFullState(docName: string, key: string, derive: (update: Uint8Array) => Promise<Uint8Array>): Promise<DerivedState> {
    if (this.shuttingDown) return { kind: 'failed' }
    let room = this.rooms.get(docName)
    if (!room) {
      const outcome = await this.loadRoom(docName)
      if (outcome.kind !== 'loaded') return outcome
      room = outcome.room
    }
    const bytes = await room.derivedFullState(key, derive)
    // Its stored bytes could not be read (the room has dropped itself), or it was unloaded meanwhile.
    if (!bytes) return { kind: 'failed' }
    return { kind: 'found', bytes }
  }

  /**
   * Applies a server-made change to a board's document (loading the board if
   * nobody has it open), stores it and shows it to everyone connected.
   * Resolves false when the board does not exist or could not be written.
   */
  async changeBoard(boardId: string, change: (doc: Y.Doc) => void): Promise<boolean> {
    if (this.shuttingDown) return false
    let room = this.rooms.get(boardId)
    if (!room) {
      const outcome = await this.loadRoom(boardId)
      if (outcome.kind !== 'loaded') return false
      room = outcome.room
    }
    this.cancelIdle(boardId)
    try {
      return await room.applyServerChange(change)
    } finally {
      if (room.socketCount === 0 && this.rooms.get(boardId) === room) this.scheduleIdle(boardId)
    }
  }

  /**
   * Cuts off every socket of `boardId` that presented `key` (its link was
   * replaced): they are closed with link-revoked and cannot come back with it.
   */
  revokeKey(boardId: string, key: string): void {
    for (const [socket, session] of Array.from(this.sessions)) {
      if (session.boardId === boardId && session.key === key) this.reject(socket, Close.linkRevoked)
    }
  }

  /** A binary frame arrived on `socket`. */
  handleSocketMessage(socket: RoomSocket, data: Uint8Array): void {
    const session = this.sessions.get(socket)
    if (!session || this.shuttingDown) return
    if (session.room) {
      session.room.handleSocketMessage(socket, data)
      return
    }
    if (!session.pending) return
    session.pending.push(data)
    session.pendingBytes += data.byteLength
    if (session.pendingBytes > (this.options.maxPendingBytes ?? 2 * this.options.maxBufferedBytes)) this.reject(socket, Close.tooSlow)
  }

  /** `socket` closed, for whatever reason. */
  handleSocketClose(socket: RoomSocket): void {
    const session = this.sessions.get(socket)
    if (!session) return
    this.sessions.delete(socket)
    if (!session.room && session.pending?.length && !this.shuttingDown) this.draining.set(socket, session)
    session.room?.handleSocketClose(socket)
  }

  /** Closes a board's sockets with board-deleted and drops its room without writing it. */
  closeBoard(boardId: string): void {
    // The board's own document and its private ones.
    const docNames = new Set([boardId, ...Array.from(this.rooms.keys()).filter((name) => this.boardOf(name) === boardId)])
    for (const name of this.loads.keys()) if (this.boardOf(name) === boardId) docNames.add(name)
    for (const name of docNames) this.loads.delete(name) // a load in flight is discarded when it finishes
    const rooms = Array.from(docNames).flatMap((name) => this.rooms.get(name) ?? [])
    for (const name of docNames) this.rooms.delete(name)
    for (const [socket, session] of Array.from(this.sessions)) {
      if (session.boardId === boardId) this.reject(socket, Close.boardDeleted)
    }
    for (const room of rooms) {
      room.close(Close.boardDeleted)
      room.destroy()
    }
    // After the sockets: the last one leaving schedules an unload of the (deleted) room.
    for (const name of docNames) this.cancelIdle(name)
  }

  /** Document names of every loaded room (for the private-mode reveal). */
  loadedDocuments(): string[] {
    return Array.from(this.rooms.keys())
  }

  private boardOf(docName: string): string {
    return this.options.boardOf?.(docName) ?? docName
  }

  /** Closes every socket with server-shutting-down and writes every room to storage. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true
    for (const timer of this.idleTimers.values()) clearTimeout(timer)
    this.idleTimers.clear()
    for (const socket of Array.from(this.sessions.keys())) this.reject(socket, Close.shuttingDown)
    await Promise.allSettled(Array.from(this.loads.values()))
    await Promise.all(
      Array.from(this.rooms.values()).map(async (room) => {
        room.close(Close.shuttingDown)
        const flushed = await room.flush()
        if (!flushed) this.options.log.error('board could not be written at shutdown; recent edits are lost', { boardId: room.boardId })
        room.destroy()
      }),
    )
    this.rooms.clear()
  }

  private attach(socket: RoomSocket, session: Session, room: Room): void {
    this.cancelIdle(room.boardId)
    const pending = session.pending ?? []
    session.room = room
    session.pending = null
    room.handleSocketConnect(socket, { hello: session.hello && !session.greeted, role: session.role! })
    for (const frame of pending) room.handleSocketMessage(socket, frame)
    if (this.draining.delete(socket)) room.handleSocketClose(socket)
  }

  private reject(socket: RoomSocket, reason: CloseReason): void {
    if (this.draining.delete(socket)) return // already closed
    this.handleSocketClose(socket)
    this.draining.delete(socket)
    try {
      socket.close(reason.code, reason.reason)
    } catch (error) {
      this.options.log.debug('close failed', { error: String(error) })
    }
  }

  private loadRoom(boardId: string): Promise<LoadOutcome> {
    const inFlight = this.loads.get(boardId)
    if (inFlight) return inFlight
    const load = this.readRoom(boardId).then((outcome) => {
      const current = this.loads.get(boardId) === load
      if (current) this.loads.delete(boardId)
      if (outcome.kind !== 'loaded') return outcome
      if (!current || this.shuttingDown) {
        // Deleted (or shutting down) while loading: this copy must never be written back.
        outcome.room.destroy()
        return this.shuttingDown ? ({ kind: 'failed' } as const) : ({ kind: 'unknown' } as const)
      }
      this.rooms.set(boardId, outcome.room)
      this.scheduleIdle(boardId) // cancelled by attach() if anyone is still waiting
      return outcome
    })
    this.loads.set(boardId, load)
    return load
  }

  private async readRoom(boardId: string): Promise<LoadOutcome> {
    let doc = new Y.Doc()
    const started = Date.now()
    try {
      const stored = await this.options.load(boardId)
      if (!stored) return { kind: 'unknown' }
      // After a compaction the snapshot is exactly the document: the room answers newcomers
      // from it and builds its Y.Doc only when needed (see Room). With log rows it is built now.
      const fullState = stored.snapshot && stored.updates.length === 0 ? stored.snapshot : undefined
      let skippedUpdates = 0
      if (!fullState) {
        // A failed load must never become an empty room that later overwrites the board.
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
        skippedUpdates = applyLog(doc, stored.updates)
        if (skippedUpdates > 0) {
          // Yjs may have thrown half-way through: rebuild the last good state from scratch.
          doc.destroy()
          doc = new Y.Doc()
          if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
          for (const update of stored.updates.slice(0, stored.updates.length - skippedUpdates)) Y.applyUpdate(doc, update)
          this.options.log.error('board damaged: loaded its last good state, without the stored updates that fail to apply', {
            boardId,
            skippedUpdates,
          })
        }
      } else doc.destroy()
      const storedBytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((sum, update) => sum + update.byteLength, 0)
      const room: Room = new Room({
        boardId,
        doc: fullState ? undefined : doc,
        lastSeq: stored.lastSeq,
        // Newcomers get the stored bytes without the document being re-encoded.
        fullState,
        persistence: this.options.persistenceFor(boardId),
        log: this.options.log,
        maxBufferedBytes: this.options.maxBufferedBytes,
        compactAfterUpdates: this.options.compactAfterUpdates,
        maxBoardBytes: this.options.maxBoardBytes,
        maxUpdatesPerSecond: this.options.maxUpdatesPerSecond,
        storedBytes,
        skippedUpdates,
        awarenessFlushMs: this.options.awarenessFlushMs,
        storageRetryMs: this.options.storageRetryMs,
        presenceLimits: this.options.presenceLimits,
        createWriteGuard: this.options.createWriteGuard ? (doc) => this.options.createWriteGuard!(doc, boardId) : undefined,
        onEmpty: () => this.scheduleIdle(boardId),
        // Unreadable stored bytes: drop the room without ever writing it back.
        onBroken: () => {
          if (this.rooms.get(boardId) !== room) return
          this.rooms.delete(boardId)
          this.cancelIdle(boardId)
          room.destroy()
        },
        // Keeps the connection count honest while the closing handshake runs.
        onDisconnect: (socket) => this.sessions.delete(socket),
      })
      this.options.log.debug('room loaded', { boardId, ms: Date.now() - started, logRows: stored.updates.length, built: room.isBuilt })
      return { kind: 'loaded', room }
    } catch (error) {
      doc.destroy()
      this.options.log.error('board failed to load', { boardId, error })
      return { kind: 'failed' }
    }
  }

  private scheduleIdle(boardId: string): void {
    if (this.shuttingDown) return
    this.cancelIdle(boardId)
    const timer = setTimeout(() => void this.unloadIfIdle(boardId), this.options.roomIdleMs)
    this.idleTimers.set(boardId, timer)
  }

  private cancelIdle(boardId: string): void {
    const timer = this.idleTimers.get(boardId)
    if (timer) clearTimeout(timer)
    this.idleTimers.delete(boardId)
  }

  private async unloadIfIdle(boardId: string): Promise<void> {
    this.idleTimers.delete(boardId)
    const room = this.rooms.get(boardId)
    if (!room || room.socketCount > 0) return
    const flushed = await room.flush()
    // Someone may have joined (or the board been deleted) while the snapshot was written.
    if (this.rooms.get(boardId) !== room || room.socketCount > 0 || this.shuttingDown) return
    if (!flushed || room.writing) {
      // Unloading now would throw away edits that exist only in memory, or that
      // a client who came and went during the flush is still having stored.
      this.scheduleIdle(boardId)
      return
    }
    this.rooms.delete(boardId)
    room.destroy()
    this.options.log.debug('room unloaded', { boardId })
    if (this.rooms.size === 0 && this.loads.size === 0 && this.sessions.size === 0) this.options.onAllUnloaded?.()
  }
}

/**
 * Applies a board's stored log in order and stops at the first update Yjs
 * cannot apply (written before the server validated every change, or by a
 * bug): the updates after it may build on it. Returns how many were left out.
 */
function applyLog(doc: Y.Doc, updates: Uint8Array[]): number {
  for (let i = 0; i < updates.length; i++) {
    try {
      Y.applyUpdate(doc, updates[i])
    } catch {
      return updates.length - i
    }
  }
  return 0
}
