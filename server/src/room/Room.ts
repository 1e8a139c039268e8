/**
 * One loaded board: its Y.Doc, its connected sockets and its presence.
 * Speaks the stock y-websocket protocol (y-protocols sync + awareness) so the
 * unmodified WebsocketProvider connects. Transport-free (RoomSocket) and
 * storage-free (RoomPersistence); a Room is only ever built from a document
 * that has finished loading, so it never answers a sync request early.
 *
 * A room loaded from a stored snapshot builds its Y.Doc only when something
 * needs it (an edit, a client that already holds part of the board, a server
 * change, a viewer's presence) or BUILD_AFTER_MS after it loaded, whichever
 * comes first. Until then newcomers are answered from the stored bytes. Building
 * a big board costs the server about what applying it costs the newcomer; on
 * a machine that runs both (loopback, the bench) they no longer compete, and a
 * board that is only looked at is never built at all before it unloads.
 */
import { toBase64 } from 'lib0/buffer'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { canEditContent, type Role } from '../../../shared/access'
import { getSessionMap, VIEWER_PRESENCE } from '../../../shared/documentLayout'
import { Close, MessageType, type CloseReason, type RefusalReason } from '../../../shared/protocol'
import { encodeStatusFrame } from '../../../shared/statusFrame'
import type { Logger } from '../log'
import { helloFrame, syncStep1Frame, syncStep2Frame, syncStep2FrameFromUpdate, updateFrame, updateOfStep2Frame } from './frames'
import { PresenceRelay, type PresenceLimits } from './PresenceRelay'
import { DocumentWriter } from './DocumentWriter'
import type { RoomPersistence } from './RoomPersistence'
import type { RoomSocket } from './RoomSocket'
import { unknownReference } from './updateDependencies'
import type { AppliedCheck, Decoded, WriteGuard } from './WriteGuard'
import { NewWriterBudget, newWriters } from './NewWriters'
import { UpdateRate } from './UpdateRate'

/** Everything a room needs, handed in by the room manager (or a test). */
export interface RoomOptions {
  boardId: string
  /** The board's document, fully loaded from storage; without it, `fullState` is built into one when needed. */
  doc?: Y.Doc
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
  /** Without `doc`: build the document this long after loading even if nothing needed it (default BUILD_AFTER_MS). */
  buildAfterMs?: number
  /** The stored document could not be built (corrupt bytes): the room has closed its sockets and must be dropped unwritten. */
  onBroken?: () => void
  /** Fixed interval between presence frames (tests); by default the room's frame budget paces them (PresenceRelay). */
  awarenessFlushMs?: number
  /** How often a room whose storage failed retries writing a snapshot. */
  storageRetryMs?: number
  /** Rules about what each role may change (see WriteGuard); none: every writer may change anything. */
  createWriteGuard?: (doc: Y.Doc) => WriteGuard | undefined
  /** Largest board, in stored bytes, that still takes new content (deletions are always taken). Default: no limit. */
  maxBoardBytes?: number
  /** Stored size of the board when loaded (snapshot plus log), for `maxBoardBytes`. */
  storedBytes?: number
  /** Document updates a socket may send per second, on average (bursts of twice as many). Default: no limit. */
  maxUpdatesPerSecond?: number
  /** Stored updates left out at load because they failed to apply (the room then holds the last good state). */
  skippedUpdates?: number
  /** Called whenever the last socket has left. */
  onEmpty?: () => void
  /** Called when the room itself closes a socket (too slow, bad frame), before the transport reports it. */
  onDisconnect?: (socket: RoomSocket) => void
  /** What one socket may put into the room's presence (default DEFAULT_PRESENCE_LIMITS). */
  presenceLimits?: PresenceLimits
}

class BadMessage extends Error {}

/** Origin of the server's own changes (trusted by the write guard). */
const SERVER_ORIGIN = Symbol('server')

// Each entry can be as large as the board; a handful covers the common shared state vectors.
const STEP2_CACHE_ENTRIES = 8
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/**
 * A lazily built room builds its document at the latest this long after loading:
 * late enough that the clients who opened the board have applied it first, soon
 * enough that the first edit rarely waits for the build and that stored bytes
 * that cannot be read are found while people are still arriving.
 */
export const BUILD_AFTER_MS = 1000

function stateVectorKey(stateVector: Uint8Array): string {
  return toBase64(stateVector)
}

/** What `run` changes in `doc`, as one update (its transactions' updates merged); null when nothing changed. */
function changeOf(doc: Y.Doc, run: () => void): Uint8Array | null {
  const changes: Uint8Array[] = []
  const collect = (update: Uint8Array) => changes.push(update)
  doc.on('update', collect)
  try {
    run()
  } finally {
    doc.off('update', collect)
  }
  return changes.length === 0 ? null : changes.length === 1 ? changes[0] : Y.mergeUpdates(changes)
}

/** A board being edited: relays document updates and presence between its sockets. */
export class Room {
  readonly boardId: string
  /** The document, once built (see `doc`). */
  private built: Y.Doc | undefined
  /** The stored bytes the document is built from when it is first needed. */
  private unbuilt: Uint8Array | undefined
  private buildTimer: ReturnType<typeof setTimeout> | undefined
  /** Sockets that get our sync step 1 (our state vector) once the document is built. */
  private readonly owedStep1 = new Set<RoomSocket>()
  /** Connected sockets and the role each was admitted with. */
  private readonly sockets = new Map<RoomSocket, Role>()
  private guard: WriteGuard | undefined
  /** Refusal notices already sent per socket (once per reason and connection is enough). */
  private readonly told = new WeakMap<RoomSocket, Set<RefusalReason>>()
  /** New Yjs client ids per connection and per hour (NewWriters.ts). */
  private readonly newWriters = new NewWriterBudget()
  /** Each writer's update rate (MAX_UPDATES_PER_SECOND). */
  private readonly rates = new WeakMap<RoomSocket, UpdateRate>()
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
  /**
   * Transformed copies of the whole document (compressed for HTTP) by their key,
   * until the next change. Promises, so that the people who all open the board
   * at once share one compression instead of each starting their own.
   */
  private readonly derivedCache = new Map<string, Promise<Uint8Array>>()

  constructor(options: RoomOptions) {
    this.options = options
    this.boardId = options.boardId
    this.log = options.log
    this.writer = new DocumentWriter({
      boardId: options.boardId,
      doc: () => this.doc,
      persistence: options.persistence,
      lastSeq: options.lastSeq,
      storedBytes: options.storedBytes ?? options.fullState?.byteLength,
      compactAfterUpdates: options.compactAfterUpdates,
      retryMs: options.storageRetryMs ?? 2000,
      log: options.log,
      onStorageStatus: (ok) => this.sendToAll(encodeStatusFrame({ kind: 'storage', ok })),
    })
    const fixedInterval = options.awarenessFlushMs
    this.presence = new PresenceRelay(
      fixedInterval === undefined ? { recipients: () => this.sockets.size } : { fixedMs: fixedInterval },
      (frame) => this.sendToAll(frame),
      options.presenceLimits,
    )
    if (options.fullState) {
      const frame = syncStep2FrameFromUpdate(options.fullState)
      this.step2Cache.set(stateVectorKey(EMPTY_STATE_VECTOR), frame)
      this.largestStep2 = frame.byteLength
    }
    // A board loaded from its last good state: the next snapshot replaces the log rows that failed.
    if ((options.skippedUpdates ?? 0) > 0) void this.writer.compactNow()
    if (options.doc) this.adopt(options.doc)
    else if (options.fullState) {
      this.unbuilt = options.fullState
      this.buildTimer = setTimeout(() => {
        this.buildTimer = undefined
        if (!this.closed) this.ensureDoc()
      }, options.buildAfterMs ?? BUILD_AFTER_MS)
    } else throw new Error('a room needs its document or the stored bytes to build it from')
  }

  /** The board's document, built from the stored bytes on first use; throws if they cannot be read (the room is then broken and closed). */
  get doc(): Y.Doc {
    const doc = this.ensureDoc()
    if (!doc) throw new Error(`room ${this.boardId} is broken: its stored document could not be read`)
    return doc
  }

  /** The document, built now if need be; null when the stored bytes could not be read (the room has closed itself). */
  private ensureDoc(): Y.Doc | null {
    if (this.built) return this.built
    const stored = this.unbuilt
    if (!stored) return null
    clearTimeout(this.buildTimer)
    this.buildTimer = undefined
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, stored)
    } catch (error) {
      doc.destroy()
      this.unbuilt = undefined
      // Nothing more is answered from those bytes (step2For and derivedFullState give null).
      this.changed()
      this.log.error('board failed to load', { boardId: this.boardId, error })
      this.close(Close.loadFailed)
      this.writer.stop()
      this.options.onBroken?.()
      return null
    }
    this.unbuilt = undefined
    this.adopt(doc)
    return doc
  }

  /** True once the document exists in memory (tests, diagnostics). */
  get isBuilt(): boolean {
    return this.built !== undefined
  }

  /** Takes `doc` as the room's document: the write guard starts watching it, and owed step 1s go out. */
  private adopt(doc: Y.Doc): void {
    this.built = doc
    this.guard = this.options.createWriteGuard?.(doc)
    this.sweep(doc)
    if (this.owedStep1.size > 0) {
      const frame = syncStep1Frame(doc)
      for (const socket of this.owedStep1) if (this.sockets.has(socket)) this.send(socket, frame)
      this.owedStep1.clear()
    }
  }

  /**
   * Lets the guard remove what no rule accepts (a board stored before the rules,
   * or damaged by a bug) and record what was left out for the facilitators: a
   * server change, stored and relayed like any other.
   */
  private sweep(doc: Y.Doc): void {
    const guard = this.guard
    if (!guard?.sweep) return
    const change = changeOf(doc, () => doc.transact(() => guard.sweep!(this.options.skippedUpdates ?? 0), SERVER_ORIGIN))
    if (!change) return
    // Answers encoded from the stored bytes still hold what the sweep removed.
    this.changed()
    // Through the writer like any change: stored before anyone sees it.
    void this.writer.write(
      () => change,
      (stored) => this.relay(stored, null),
    )
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
  handleSocketConnect(socket: RoomSocket, options: { hello?: boolean; role: Role }): void {
    if (this.closed) {
      socket.close(Close.shuttingDown.code, Close.shuttingDown.reason)
      return
    }
    this.sockets.set(socket, options.role)
    if (options.hello) this.send(socket, helloFrame(!canEditContent(options.role)))
    // A client with nothing yet has nothing to answer it with; one that has
    // something sends a state vector or edits, which build the document.
    if (this.built) this.send(socket, syncStep1Frame(this.built))
    else this.owedStep1.add(socket)
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
    this.owedStep1.delete(socket)
    this.presence.removeSocket(socket)
    if (this.sockets.size === 0) this.options.onEmpty?.()
  }

  /**
   * A change made by the server itself (a revealed vote's results, ...):
   * trusted, stored, then relayed to everyone, like a client's. Resolves once
   * stored (false if the room is closed or storage refused it).
   */
  applyServerChange(change: (doc: Y.Doc) => void): Promise<boolean> {
    if (this.closed) return Promise.resolve(false)
    let stored = false
    return this.writer
      .write(
        () => {
          const doc = this.ensureDoc()
          if (!doc) return null
          const made = changeOf(doc, () => doc.transact(() => change(doc), SERVER_ORIGIN))
          if (made) this.changed()
          return made
        },
        (update) => {
          stored = !this.writer.degraded
          this.relay(update, null)
        },
      )
      .then(() => stored)
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
    for (const socket of Array.from(this.sockets.keys())) this.disconnect(socket, reason)
  }

  /** Frees timers and the document. The room must not be used afterwards. */
  destroy(): void {
    this.closed = true
    clearTimeout(this.buildTimer)
    this.writer.stop()
    this.guard = undefined
    this.presence.destroy()
    this.built?.destroy()
  }

  private readMessage(socket: RoomSocket, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync:
        return this.readSync(socket, decoder)
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder)
        // Viewers watch unseen unless a facilitator lets their cursors show.
        if (!canEditContent(this.sockets.get(socket)!)) {
          const doc = this.ensureDoc()
          if (!doc || getSessionMap(doc).get(VIEWER_PRESENCE) !== true) return
        }
        // Entries the socket may not send are dropped by the relay (see PresenceRelay); each reason is named once per connection.
        for (const reason of this.presence.apply(socket, update)) {
          this.log.info('dropped presence a client may not send', { boardId: this.boardId, reason })
          this.refuse(socket, reason)
        }
        return
      }
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
        void this.writer.afterWrites(() => {
          const frame = this.sockets.has(socket) ? this.step2For(stateVector) : null
          if (frame) this.send(socket, frame)
        })
        return
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder)
        // Parsed here so a truncated or garbage update is the sender's bad
        // message (4400), not a failed apply in the middle of the room.
        const decoded = Y.decodeUpdate(update)
        // A stock provider answers our step 1 with an empty update when it has nothing we lack.
        if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return
        // A viewer (or a raw client holding a viewer link) cannot write.
        if (!canEditContent(this.sockets.get(socket)!)) return this.refuse(socket, 'read-only')
        if (!this.withinRate(socket)) return this.disconnect(socket, Close.tooManyUpdates)
        const role = this.sockets.get(socket)!
        let refusals: RefusalReason[] = []
        void this.writer.write(
          () => {
            const doc = this.ensureDoc()
            if (!doc) return null
            // Checked against the document as it is when the update's turn comes.
            const unknown = unknownReference(doc, decoded)
            if (unknown) {
              // Yjs would keep it pending and integrate it later, under someone else's change and
              // past the write guard. Dropping it loses nothing an honest client sent: the stock
              // provider sends edits made while it reconnects before it has answered our sync
              // step 1, and that answer (sent next) carries them along with the rest it has.
              this.log.debug('dropped an update that refers to content the board lacks', { boardId: this.boardId, unknown })
              return null
            }
            // Every client id stays in the document for good and costs every later transaction.
            const writers = this.newWriters.take(socket, newWriters(doc, decoded).size, Date.now())
            if (writers) {
              this.log.warn('refused an update with too many new writers', { boardId: this.boardId, role, reason: writers })
              this.refuse(socket, 'too-many-writers')
              this.disconnect(socket, Close.tooManyWriters)
              return null
            }
            const full = this.overSizeLimit(update, decoded)
            if (full && !this.guard) {
              refusals = ['board-full']
              return null
            }
            // A full board: the guard keeps only deletions, undoing the rest in the same transaction, so
            // the author's copy converges and their later edits still apply (a dropped update would not).
            const check = this.guard?.inspect(decoded, role, { full })
            if (check && 'refused' in check) {
              // Nothing an honest client sends looks like this: it is never applied, and the
              // socket is closed so a confused client resyncs rather than drifting apart.
              this.log.warn('refused an update that does not fit the board', { boardId: this.boardId, role, reason: check.refused })
              this.refuse(socket, 'invalid-update')
              this.disconnect(socket, Close.invalidUpdate)
              return null
            }
            const applied = this.apply(doc, update, socket, check)
            refusals = applied.refusals
            return applied.change
          },
          (change) => {
            // A repaired change goes back to its author too: their copy must lose what was undone.
            this.relay(change, refusals.length > 0 ? null : socket)
          },
        ).then(() => {
          for (const reason of refusals) this.refuse(socket, reason)
        })
        return
      }
      default:
        throw new BadMessage(`unknown sync message type ${syncType}`)
    }
  }

  /** The document changed: every answer encoded from the previous state is stale. */
  private changed(): void {
    this.step2Cache.clear()
    this.derivedCache.clear()
  }

  /**
   * The whole document as one update (exactly what sync step 2 carries for an
   * empty state vector) passed through `derive`, which runs at most once per
   * `key` until the document next changes. Like an answer to sync step 1, it
   * waits for earlier writes, so it never includes an unstored change. Answered
   * from the stored bytes without building the document when it is not built
   * yet. Null when the document could not be built (the room has closed itself)
   * or the room has stopped.
   */
  async derivedFullState(key: string, derive: (update: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array | null> {
    const result: { derived?: Promise<Uint8Array> | null } = {}
    await this.writer.afterWrites(() => {
      result.derived = this.derive(key, derive)
    })
    return result.derived ?? null
  }

  private derive(key: string, derive: (update: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> | null {
    const cached = this.derivedCache.get(key)
    if (cached) return cached
    const frame = this.step2For(EMPTY_STATE_VECTOR)
    if (!frame) return null
    const update = updateOfStep2Frame(frame)
    const derived = Promise.resolve().then(() => derive(update))
    this.derivedCache.set(key, derived)
    // A failure is not remembered: the next request tries again.
    derived.catch(() => {
      if (this.derivedCache.get(key) === derived) this.derivedCache.delete(key)
    })
    return derived
  }

  /** Our answer to a state vector; null when the document could not be built (the room has closed). */
  private step2For(stateVector: Uint8Array): Uint8Array | null {
    const key = stateVectorKey(stateVector)
    let frame = this.step2Cache.get(key)
    if (!frame) {
      const doc = this.ensureDoc()
      if (!doc) return null
      frame = syncStep2Frame(doc, stateVector)
      this.largestStep2 = Math.max(this.largestStep2, frame.byteLength)
      // Bounded: distinct state vectors between two changes are few in practice.
      if (this.step2Cache.size >= STEP2_CACHE_ENTRIES) this.step2Cache.clear()
      this.step2Cache.set(key, frame)
    }
    return frame
  }

  /**
   * Applies `update` in memory and, in the same transaction, lets the guard's
   * check write back what its author may not change; returns the net change
   * (null if nothing was new) and what was refused. One transaction means Yjs
   * garbage-collects refused content before it encodes the change, so what is
   * stored and relayed never holds it.
   */
  private apply(doc: Y.Doc, update: Uint8Array, origin: RoomSocket, check: AppliedCheck | undefined): { change: Uint8Array | null; refusals: RefusalReason[] } {
    let refusals: RefusalReason[] = []
    const change = changeOf(doc, () => {
      try {
        doc.transact(() => {
          try {
            Y.applyUpdate(doc, update, origin)
          } finally {
            // Also after a throw: whatever was integrated before it is judged like the rest.
            if (check) refusals = check.repair()
          }
        }, origin)
      } catch (error) {
        // Whatever was integrated before the error is in the change and gets stored.
        this.log.error('update could not be applied', { boardId: this.boardId, error })
      }
    })
    if (change) this.changed()
    return { change, refusals }
  }

  /** True when `update` brings new content to a board already at its size limit (it is then refused, deletions apart). */
  private overSizeLimit(update: Uint8Array, decoded: Decoded): boolean {
    const limit = this.options.maxBoardBytes
    if (limit === undefined || this.writer.storedBytes + update.byteLength <= limit) return false
    // Deleting is always allowed: it is how a full board gets room again (at the next compaction).
    const addsContent = decoded.structs.some((struct) => struct instanceof Y.Item && !(struct.content instanceof Y.ContentDeleted))
    if (!addsContent) return false
    this.log.warn('refusing new content: the board is at its size limit', { boardId: this.boardId, storedBytes: this.writer.storedBytes, limit })
    // The estimate counts log rows that a snapshot may shrink; compact so the next check is exact.
    void this.writer.flush()
    return true
  }

  /** Counts one update against the socket's rate; false when it sent too many. */
  private withinRate(socket: RoomSocket): boolean {
    const perSecond = this.options.maxUpdatesPerSecond
    if (perSecond === undefined) return true
    let rate = this.rates.get(socket)
    if (!rate) this.rates.set(socket, (rate = new UpdateRate(perSecond)))
    if (rate.take(performance.now())) return true
    this.log.info('closing a client that sends too many updates', { boardId: this.boardId, perSecond })
    return false
  }

  /** Tells a socket its change was refused or partly undone (once per reason and connection). */
  private refuse(socket: RoomSocket, reason: RefusalReason): void {
    if (!this.sockets.has(socket)) return
    let told = this.told.get(socket)
    if (!told) this.told.set(socket, (told = new Set()))
    if (told.has(reason)) return
    told.add(reason)
    this.send(socket, encodeStatusFrame({ kind: 'refused', reason }))
  }

  /** Shows a stored change to everyone but its author (everyone when `origin` is null). */
  private relay(change: Uint8Array, origin: RoomSocket | null): void {
    const frame = updateFrame(change)
    for (const socket of Array.from(this.sockets.keys())) if (socket !== origin) this.send(socket, frame)
  }

  private sendToAll(frame: Uint8Array): void {
    for (const socket of Array.from(this.sockets.keys())) this.send(socket, frame)
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
