/**
 * Keeps one room's document in storage: stores each change before anyone else
 * can see it, compacts the log, and rides out storage failures without
 * dropping anything. Storage work runs one task at a time, in arrival order, so the
 * sequence number a compaction uses is exactly the last one appended.
 */
import * as Y from 'yjs'
import type { Logger } from '../log'
import type { RoomPersistence } from './RoomPersistence'

/** What the writer needs; `onStorageStatus` tells the room to notify its clients. */
export interface DocumentWriterOptions {
  boardId: string
  /** The room's document (built on first use; only a compaction needs it, and only after a write). */
  doc: () => Y.Doc
  persistence: RoomPersistence
  /** Sequence number of the last stored update already in `doc`. */
  lastSeq: number
  /** Bytes storage holds for the document when the writer starts (snapshot plus log). */
  storedBytes?: number
  compactAfterUpdates: number
  /** How often a failed storage is retried with a full snapshot. */
  retryMs: number
  log: Logger
  onStorageStatus(ok: boolean): void
}

/** The durable side of a room. */
export class DocumentWriter {
  private tail: Promise<unknown> = Promise.resolve()
  private lastSeq: number
  private unsnapshotted = 0
  private failing = false
  private retryTimer: ReturnType<typeof setInterval> | undefined
  private stopped = false
  private queued = 0
  private bytes: number

  constructor(private readonly options: DocumentWriterOptions) {
    this.lastSeq = options.lastSeq
    this.bytes = options.storedBytes ?? 0
  }

  /** Bytes storage holds for the document (the last snapshot plus what was appended since): the board's size. */
  get storedBytes(): number {
    return this.bytes
  }

  /** True while edits exist only in memory because storage refused them. */
  get degraded(): boolean {
    return this.failing
  }

  /**
   * Applies an incoming update in memory (`apply` returns the change it
   * actually made, or null when it was all known already), stores that
   * change, and only then lets `publish` show it to anyone. Storing what Yjs
   * produced rather than what the client sent means the log never holds a
   * duplicate (every reconnecting client resends its whole delete set) nor an
   * update that would fail to apply on the next load. If storage fails the
   * change is published anyway: people keep working, and the retry loop
   * writes the whole in-memory document once storage is back.
   */
  write(apply: () => Uint8Array | null, publish: (change: Uint8Array) => void): Promise<void> {
    return this.enqueue(async () => {
      if (this.stopped) return
      const change = apply()
      if (!change) return
      if (!this.failing) {
        try {
          this.lastSeq = await this.options.persistence.appendUpdate(change)
          this.unsnapshotted++
          this.bytes += change.byteLength
        } catch (error) {
          this.startFailing(error)
        }
      }
      if (this.stopped) return
      publish(change)
      if (!this.failing && this.unsnapshotted >= this.options.compactAfterUpdates) await this.compact()
    })
  }

  /**
   * Runs `task` once every earlier write is stored, so what it reads from the
   * document (an answer to sync step 1) never includes an unstored change.
   * Resolves after it ran (or was skipped because the writer stopped).
   */
  afterWrites(task: () => void): Promise<void> {
    return this.enqueue(async () => {
      if (!this.stopped) task()
    })
  }

  /** Writes a snapshot if anything is uncompacted or unsaved; true when storage holds the whole document. */
  flush(): Promise<boolean> {
    return this.enqueue(async () => (this.unsnapshotted > 0 || this.failing ? this.compact() : true))
  }

  /** Writes a snapshot now whatever was appended (a board loaded from its last good state must replace the bad log rows). */
  compactNow(): Promise<boolean> {
    return this.enqueue(() => this.compact())
  }

  /** Drops queued work and timers (board deleted, room unloaded). */
  stop(): void {
    this.stopped = true
    if (this.retryTimer) clearInterval(this.retryTimer)
    this.retryTimer = undefined
  }

  /** Snapshot + delete the log rows it covers, in one storage transaction. */
  private async compact(): Promise<boolean> {
    if (this.stopped) return false
    const { boardId, log } = this.options
    const snapshot = Y.encodeStateAsUpdate(this.options.doc())
    try {
      await this.options.persistence.compact(snapshot, this.lastSeq)
      this.unsnapshotted = 0
      this.bytes = snapshot.byteLength
      if (this.failing) this.stopFailing()
      return true
    } catch (error) {
      if (this.failing) {
        log.warn('storage still unavailable', { boardId, error: String(error) })
      } else {
        // The log still holds every update, so nothing is at risk; try again after another batch.
        log.warn('compaction failed; the update log keeps the data', { boardId, error })
        this.unsnapshotted = 0
      }
      return false
    }
  }

  private startFailing(error: unknown): void {
    this.failing = true
    this.options.log.error('storage failed; keeping edits in memory and retrying', { boardId: this.options.boardId, error })
    this.options.onStorageStatus(false)
    this.retryTimer = setInterval(() => void this.enqueue(() => this.compact()), this.options.retryMs)
  }

  private stopFailing(): void {
    this.failing = false
    if (this.retryTimer) clearInterval(this.retryTimer)
    this.retryTimer = undefined
    this.options.log.info('storage recovered; board written in full', { boardId: this.options.boardId })
    this.options.onStorageStatus(true)
  }

  /** True while storage work is queued or running. */
  get busy(): boolean {
    return this.queued > 0
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    this.queued++
    const result = this.tail.then(work).finally(() => this.queued--)
    this.tail = result.catch(() => undefined)
    return result
  }
}
