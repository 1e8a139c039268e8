/**
 * What a room needs from storage for its one document. The room manager binds
 * it to a board and a storage adapter; the room itself stays storage-free.
 */

/** Persistence of one board's document, as seen by its room. */
export interface RoomPersistence {
  /** Appends one update to the board's log; resolves to its sequence number. */
  appendUpdate(update: Uint8Array): Promise<number>
  /**
   * Stores `snapshot` as the board's document and deletes the log entries with
   * sequence numbers up to and including `uptoSeq`, atomically.
   */
  compact(snapshot: Uint8Array, uptoSeq: number): Promise<void>
}

/** A board's document as read back from storage. */
export interface LoadedDocument {
  /** The last compacted state, or null if the board was never compacted. */
  snapshot: Uint8Array | null
  /** Updates appended after the snapshot, oldest first. */
  updates: Uint8Array[]
  /** Highest sequence number covered by snapshot + updates (0 when none). */
  lastSeq: number
}
