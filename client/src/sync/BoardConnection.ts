/**
 * Owns everything that talks to the sync server for one board: the Y.Doc, the
 * websocket provider, the IndexedDB copy for offline use, our Status frames
 * and named close reasons. The UI reads a plain snapshot of its state.
 */
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import { sendOnlyOwnPresence } from './ownPresenceOnly'
import { PRELOAD_ORIGIN, preloadBoard, shouldPreload } from './preloadBoard'
import * as Y from 'yjs'
import { getRecordsMap } from '../../../shared/documentLayout'
import { closeReasonByCode, MessageType, PRESENCE_REFUSALS, PROTOCOL_VERSION, SYNC_PATH, type CloseName, type PresenceRefusal, type RefusalReason } from '../../../shared/protocol'
import { decodeStatusFrame } from '../../../shared/statusFrame'
import { KEY_PARAM } from '../../../shared/access'
import { PROTOCOL_PARAM } from '../../../shared/syncHandshake'

/** What the connection indicator shows. */
export type ConnectionStatus = 'online' | 'reconnecting' | 'offline'

/** Whether the board's content is available to show yet. */
export type LoadState =
  | 'loading'
  /** Offline and nothing stored on this device: we have to wait for the network. */
  | 'waiting-for-network'
  | 'ready'
  /** The server (or the local copy) says the board exists but it holds no records. */
  | 'empty'

/** Why the server refused one of our document changes (presence and read-only are told otherwise). */
export type DocumentRefusal = Exclude<RefusalReason, PresenceRefusal | 'read-only'>

export interface ConnectionSnapshot {
  status: ConnectionStatus
  load: LoadState
  /** Local changes made since the server last had everything from us. */
  pending: number
  /** False while the server reports that it cannot store this board. */
  storageOk: boolean
  /** Set when the server closed the connection for a reason retrying cannot fix. */
  closedFor: CloseName | null
  /** The server says this connection may look but not edit. */
  readOnly: boolean
  /** The server's latest refusal of one of our document changes (`seq` counts them, so each can be shown once). */
  refusal: { reason: DocumentRefusal; seq: number } | null
  /** The board reached its size limit: new content is refused until something is deleted. */
  boardFull: boolean
}

/**
 * How long the websocket waits for IndexedDB before deciding whether this browser
 * already has the board. A broken IndexedDB may never answer; waiting longer
 * than this would keep the board from opening at all.
 */
const IDB_WAIT_MS = 3000

/** Milliseconds between checks that the socket has sent all we gave it. */
const DRAIN_POLL_MS = 250

/** First reconnect delay (ms) before jitter; doubles per failed attempt up to RECONNECT_MAX_MS. */
const RECONNECT_BASE_MS = 500
const RECONNECT_MAX_MS = 8000

/**
 * How long to wait before reconnect attempt `attempt` (0-based): exponential, capped, and
 * spread by ±50 % so the clients a restarting server dropped together do not return together.
 */
export function reconnectDelay(attempt: number, random: number = Math.random()): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt) * (0.5 + random)
}

/** Where the ids of unsent changed items survive a reload while offline (the edits themselves are in IndexedDB). */
const pendingKey = (boardId: string) => `ww.pending.${boardId}`

function readPending(boardId: string): Set<string> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(pendingKey(boardId)) ?? '[]')
    return new Set(Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [])
  } catch {
    return new Set()
  }
}

function writePending(boardId: string, ids: Set<string>): void {
  try {
    if (ids.size > 0) localStorage.setItem(pendingKey(boardId), JSON.stringify(Array.from(ids)))
    else localStorage.removeItem(pendingKey(boardId))
  } catch {
    // Without storage the count simply starts at 0 after a reload.
  }
}

/** Ids of the records a transaction changed: typing into one note is one changed item, not one per keystroke. */
export function changedRecordIds(transaction: Y.Transaction, records: Y.AbstractType<any>): string[] {
  const ids = new Set<string>()
  for (const [type, keys] of transaction.changed) {
    if (type === records) {
      for (const key of keys) if (key !== null) ids.add(key)
      continue
    }
    // Walk up from a record's own map (or its nested props/meta map) to the records map.
    let item = type._item
    while (item && item.parent !== records) item = (item.parent as Y.AbstractType<any>)._item
    if (item?.parentSub) ids.add(item.parentSub)
  }
  return Array.from(ids)
}

/** The sync endpoint on this page's origin. */
export function websocketBase(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${SYNC_PATH}`
}

/** One board's sync connection; create with `new`, then `destroy()` when leaving. */
export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly persistence: IndexeddbPersistence | null
  private snapshot: ConnectionSnapshot
  private listeners = new Set<() => void>()
  private drainTimer: ReturnType<typeof setInterval> | undefined
  private idbLoaded = false
  private destroyed = false
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined
  private reconnectAttempts = 0
  /** start() has run (it runs once). */
  private started = false
  /** IndexedDB and any preload are done: from now on the websocket may connect. */
  private mayConnect = false
  /** Records changed locally and not yet handed to the server. */
  private pendingIds: Set<string>

  /** `key`: the key of the link this browser opens the board with (decides the role). */
  constructor(
    readonly boardId: string,
    key: string,
  ) {
    this.pendingIds = readPending(boardId)
    this.snapshot = {
      status: navigator.onLine ? 'reconnecting' : 'offline',
      load: 'loading',
      pending: this.pendingIds.size,
      storageOk: true,
      closedFor: null,
      readOnly: false,
      refusal: null,
      boardFull: false,
    }
    this.persistence = typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(`ww-board-${boardId}`, this.doc)
    this.provider = new WebsocketProvider(websocketBase(), boardId, this.doc, {
      // Not yet: a browser that has nothing of the board first fetches it compressed over
      // HTTP, and only then connects (see start). Offline, onOnline connects later.
      connect: false,
      // Announcing our protocol version makes the server greet us and send Status notices
      // (storage degraded/restored); stock clients get plain y-protocols only.
      params: { [PROTOCOL_PARAM]: String(PROTOCOL_VERSION), [KEY_PARAM]: key },
      // Our non-permanent 44xx codes (too slow, message too large) should reconnect and resync.
      shouldReconnect: (event) => !closeReasonByCode(event.code)?.permanent,
    })
    sendOnlyOwnPresence(this.provider)
    this.provider.messageHandlers[MessageType.Status] = (_encoder, decoder) => {
      const notice = decodeStatusFrame(decoder.arr)
      if (notice?.kind === 'storage') this.update({ storageOk: notice.ok })
      // A newer server that cannot serve us closes with protocol-too-old; its hello only
      // tells us whether we may edit.
      if (notice?.kind === 'hello') this.update({ readOnly: notice.readOnly })
      // Our cursor, name or hand did not reach the others (told once per connection); nothing to show
      // the person: it passes (a reconnect that raced its old connection) or is the operator's limit.
      if (notice?.kind === 'refused' && (PRESENCE_REFUSALS as readonly string[]).includes(notice.reason)) {
        console.warn(`[presence] the server dropped part of our presence: ${notice.reason}`)
      } else if (notice?.kind === 'refused' && notice.reason !== 'read-only') {
        const reason = notice.reason as DocumentRefusal
        // Our change was refused or partly undone; the server's repair already arrived as an update.
        const seq = (this.snapshot.refusal?.seq ?? 0) + 1
        this.update({ refusal: { reason, seq }, boardFull: this.snapshot.boardFull || reason === 'board-full' })
      }
    }
    this.provider.on('status', this.refreshStatus)
    this.provider.on('sync', this.onSync)
    this.provider.on('connection-close', this.onClose)
    this.doc.on('afterTransaction', this.onTransaction)
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
    this.persistence?.whenSynced.then(() => {
      this.idbLoaded = true
      this.refreshLoad()
      void this.start(key)
    })
    // Private mode or a broken IndexedDB must not keep the board from opening.
    if (!this.persistence) this.idbLoaded = true
    this.refreshLoad()
    if (this.idbLoaded) void this.start(key)
    else setTimeout(() => void this.start(key), IDB_WAIT_MS)
  }

  /**
   * Once we know what this browser already holds: a browser that has nothing of
   * the board fetches it compressed over HTTP first, so the websocket sync only
   * exchanges the difference; then the websocket connects (when online), as it
   * would have without the preload if that fails.
   */
  private async start(key: string) {
    if (this.started || this.destroyed) return
    this.started = true
    if (shouldPreload(this.doc, navigator.onLine)) await preloadBoard(this.doc, this.boardId, key)
    this.mayConnect = true
    if (this.destroyed || this.snapshot.closedFor || !navigator.onLine || this.provider.wsconnected) return
    this.provider.connect()
    this.refreshStatus()
  }

  getSnapshot = (): ConnectionSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The provider has had its first full exchange with the server since the last (re)connect. */
  get isSynced(): boolean {
    return this.provider.synced
  }

  private update(patch: Partial<ConnectionSnapshot>) {
    const next = { ...this.snapshot, ...patch }
    if ((Object.keys(patch) as (keyof ConnectionSnapshot)[]).every((key) => next[key] === this.snapshot[key])) return
    if (next.pending !== this.snapshot.pending) writePending(this.boardId, this.pendingIds)
    this.snapshot = next
    for (const listener of this.listeners) listener()
  }

  private refreshStatus = () => {
    if (this.destroyed) return
    const provider = this.provider
    let status: ConnectionStatus
    if (!navigator.onLine || this.snapshot.closedFor) status = 'offline'
    else if (provider.wsconnected && provider.synced) status = 'online'
    else status = 'reconnecting'
    this.update({ status })
    this.refreshLoad()
  }

  private refreshLoad() {
    if (this.destroyed || this.snapshot.load === 'ready' || this.snapshot.load === 'empty') return
    const hasRecords = getRecordsMap(this.doc).size > 0
    if (this.provider.synced) {
      // The server's copy is the truth: an empty one means the board is broken, not new.
      this.update({ load: hasRecords ? 'ready' : 'empty' })
    } else if (this.idbLoaded && hasRecords && (!navigator.onLine || this.provider.wsUnsuccessfulReconnects > 0)) {
      // Offline (or the server is unreachable) with a local copy: show it; edits are
      // kept on this device and sent when the connection is back.
      this.update({ load: 'ready' })
    } else if (this.idbLoaded && !hasRecords && !navigator.onLine) {
      this.update({ load: 'waiting-for-network' })
    }
  }

  /**
   * The device says it lost the network. A socket can look open for a long time
   * after that (and frames sent into it are lost), so close it and count edits as
   * waiting until we are back.
   */
  private onOffline = () => {
    if (this.provider.shouldConnect) this.provider.disconnect()
    this.refreshStatus()
  }

  /** Back online: reconnect now rather than at the end of the backoff. */
  private onOnline = () => {
    clearTimeout(this.reconnectTimer)
    // Before the first connect is decided, start() connects (after any preload).
    if (this.mayConnect && !this.snapshot.closedFor && !this.provider.wsconnected) this.provider.connect()
    this.refreshStatus()
  }

  private onSync = (synced: boolean) => {
    if (synced) this.reconnectAttempts = 0
    // A new connection is told again if the board is still full (the server tells each connection once).
    if (synced && this.snapshot.boardFull) this.update({ boardFull: false })
    this.refreshStatus()
    if (synced) this.waitForDrain()
  }

  /** Clears the pending count once the socket has actually sent what we gave it. */
  private waitForDrain() {
    clearInterval(this.drainTimer)
    const check = () => {
      const ws = this.provider.ws
      if (!this.provider.synced || !ws) return clearInterval(this.drainTimer)
      if (ws.bufferedAmount === 0) {
        clearInterval(this.drainTimer)
        this.pendingIds.clear()
        this.update({ pending: 0 })
      }
    }
    this.drainTimer = setInterval(check, DRAIN_POLL_MS)
    check()
  }

  private onTransaction = (transaction: Y.Transaction) => {
    // Only our own edits count: updates from the server or from IndexedDB are not "waiting".
    const origin = transaction.origin
    if (!transaction.local || origin === this.provider || origin === this.persistence || origin === PRELOAD_ORIGIN) return
    const ws = this.provider.ws
    const sent = this.provider.wsconnected && this.provider.synced && ws && ws.bufferedAmount === 0
    if (sent) return
    const ids = changedRecordIds(transaction, getRecordsMap(this.doc))
    if (ids.length === 0) return
    for (const id of ids) this.pendingIds.add(id)
    this.update({ pending: this.pendingIds.size })
    if (this.provider.synced) this.waitForDrain()
  }

  private onClose = (event: CloseEvent | null) => {
    const reason = event ? closeReasonByCode(event.code) : undefined
    if (reason?.permanent) {
      this.provider.shouldConnect = false
      this.update({ closedFor: reason.name })
    } else if (event && navigator.onLine && !this.destroyed) {
      // y-websocket retries on a fixed schedule (100 ms × 2ⁿ), so every client a restarting
      // server dropped would come back in the same instant. Take the retry over, with jitter:
      // with shouldConnect off, the provider's own scheduled attempt does nothing.
      this.provider.shouldConnect = false
      clearTimeout(this.reconnectTimer)
      this.reconnectTimer = setTimeout(() => {
        if (!this.destroyed && !this.snapshot.closedFor && navigator.onLine) this.provider.connect()
      }, reconnectDelay(this.reconnectAttempts++))
    }
    // (event === null is our own disconnect, e.g. going offline: onOnline reconnects.)
    this.refreshStatus()
  }

  destroy() {
    this.destroyed = true
    clearInterval(this.drainTimer)
    clearTimeout(this.reconnectTimer)
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    this.doc.off('afterTransaction', this.onTransaction)
    this.provider.destroy()
    void this.persistence?.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }
}
