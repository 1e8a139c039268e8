/**
 * The storage port: everything the server keeps on disk, behind one small
 * asynchronous interface (in the spirit of Hocuspocus' fetch/store), so a
 * PostgreSQL adapter can replace SQLite without touching rooms or HTTP.
 */
import type { Role } from '../../../shared/access'
import type { BoardMeta } from '../../../shared/api'
import type { LoadedDocument } from '../room/RoomPersistence'

/** An uploaded image. */
export interface StoredAsset {
  id: string
  boardId: string
  mimeType: string
  data: Uint8Array
  createdAt: number
}

/** Limits on one board's images (0: no limit). */
export interface AssetQuota {
  maxCount: number
  maxBytes: number
}

/**
 * Storage could not do its job (disk full, read-only, locked). Adapters throw
 * this for environmental failures so HTTP can answer 503 instead of 500.
 */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageUnavailableError'
  }
}

/** Board metadata, documents and assets. */
export interface Storage {
  /** Creates a board with its seeded document snapshot and its key per role, atomically. */
  createBoard(meta: BoardMeta, snapshot: Uint8Array, keys: Record<Role, string>): Promise<void>
  /** All boards, most recently updated first (operators' tools; not exposed over HTTP). */
  listBoards(): Promise<BoardMeta[]>
  getBoard(id: string): Promise<BoardMeta | undefined>
  /** A board's key per role; undefined when the board does not exist. */
  getBoardKeys(id: string): Promise<Record<Role, string> | undefined>
  /** Replaces one role's key (rotation); false when the board does not exist. */
  setBoardKey(id: string, role: Role, key: string, now: number): Promise<boolean>
  /** Renames a board and marks it updated; undefined when it does not exist. */
  renameBoard(id: string, title: string, now: number): Promise<BoardMeta | undefined>
  /** Deletes a board with its document and assets; false when it did not exist. */
  deleteBoard(id: string): Promise<boolean>
  /** Marks a board as changed at `now`. */
  touchBoard(id: string, now: number): Promise<void>

  /**
   * Snapshot plus the updates stored after it; undefined when the board does
   * not exist. With `owner`: that person's private document of the board
   * (empty if they have none yet).
   */
  loadDocument(boardId: string, owner?: string): Promise<LoadedDocument | undefined>
  /** Appends one update to a board's log (and marks the board updated), or to a private document's; resolves to its sequence number. */
  appendUpdate(boardId: string, update: Uint8Array, now: number, owner?: string): Promise<number>
  /** Replaces the snapshot and deletes log entries with seq <= uptoSeq, in one transaction. */
  compact(boardId: string, snapshot: Uint8Array, uptoSeq: number, owner?: string): Promise<void>
  /** Owners of the board's private documents that hold anything. */
  privateOwners(boardId: string): Promise<string[]>

  /** Replaces one voter's votes in a vote (all their items at once). */
  putBallots(boardId: string, voteId: string, voter: string, name: string, votes: Record<string, number>): Promise<void>
  /** One voter's votes in a vote. */
  getBallots(boardId: string, voteId: string, voter: string): Promise<Record<string, number>>
  /** Every ballot of a vote (for the tally). */
  allBallots(boardId: string, voteId: string): Promise<{ voter: string; name: string; shapeId: string; count: number }[]>

  /**
   * The server secret stored under `name`; the first call stores `fresh` and
   * returns it, every later one (also after a restart) returns that same value.
   */
  serverSecret(name: string, fresh: Uint8Array, now: number): Promise<Uint8Array>

  /**
   * Stores an image. With `quota`, only if the board then holds at most
   * `maxCount` images and `maxBytes` bytes of them (0: no limit), checked and
   * written in one transaction so concurrent uploads cannot overshoot;
   * 'full' when it would not fit (nothing stored).
   */
  putAsset(asset: StoredAsset, quota?: AssetQuota): Promise<'stored' | 'full'>
  getAsset(id: string): Promise<StoredAsset | undefined>
  /** How many images a board holds and their bytes. */
  assetUsage(boardId: string): Promise<{ count: number; bytes: number }>
  /**
   * Boards the unused-image clean-up should look at (at most `limit`): those
   * holding an image uploaded before `cutoff` that changed since they were last
   * checked, or whose images crossed the cutoff since then (see markAssetsChecked).
   */
  boardsWithAssetsToCheck(cutoff: number, graceMs: number, limit: number): Promise<string[]>
  /** Ids of a board's images uploaded before `cutoff`. */
  assetIdsBefore(boardId: string, cutoff: number): Promise<string[]>
  /** Deletes these images of the board (ids of other boards are left alone); resolves to how many went. */
  deleteAssets(boardId: string, ids: readonly string[]): Promise<number>
  /** Records that the clean-up looked at the board's images at `now`. */
  markAssetsChecked(boardId: string, now: number): Promise<void>

  /** Releases the database; no call may follow. */
  close(): Promise<void>
}
