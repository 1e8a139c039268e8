/**
 * The default storage adapter: one SQLite file (DATA_DIR/whiteboard.db) in
 * WAL mode via better-sqlite3. better-sqlite3 is synchronous, so an append has
 * reached the WAL (and, with synchronous=FULL, the disk) when the returned
 * promise is created; the async signature is for other adapters.
 *
 * Images are stored as blobs in the same file rather than under DATA_DIR/assets:
 * they are at most MAX_ASSET_BYTES, deleting a board removes its images in the
 * same transaction (no orphan files), and an operator backs up one file.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { isRole, type Role } from '../../../shared/access'
import type { BoardMeta } from '../../../shared/api'
import { isLanguage } from '../../../shared/languages'
import type { SqliteSynchronous } from '../config'
import type { LoadedDocument } from '../room/RoomPersistence'
import { migrate } from './sqliteSchema'
import { lockDataDir } from './dataDirLock'
import { StorageUnavailableError, type AssetQuota, type Storage, type StoredAsset } from './Storage'

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'whiteboard.db'

interface BoardRow {
  id: string
  title: string
  language: string
  created_at: number
  updated_at: number
}

interface AssetRow {
  id: string
  board_id: string
  mime_type: string
  data: Buffer
  created_at: number
}

// Failures of the environment rather than of our SQL: the disk, permissions, locks.
const UNAVAILABLE_CODES = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB|PERM|NOMEM)/

/** Longest a write waits for another process's lock once the server runs (see openSqliteStorage). */
const RUNTIME_BUSY_TIMEOUT_MS = 100

/** better-sqlite3 binds Buffers, not plain Uint8Arrays; this wraps without copying. */
function blob(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function toBoardMeta(row: BoardRow): BoardMeta {
  // The column is only written from validated input; a bad value means a hand-edited database.
  if (!isLanguage(row.language)) throw new Error(`board ${row.id} has unknown language ${row.language}`)
  return { id: row.id, title: row.title, language: row.language, createdAt: row.created_at, updatedAt: row.updated_at }
}

/** Opens (creating and migrating if needed) the database in `dataDir`. */
export function openSqliteStorage(dataDir: string, options: { synchronous: SqliteSynchronous }): Storage {
  fs.mkdirSync(dataDir, { recursive: true })
  const unlock = lockDataDir(dataDir)
  let db: Database.Database
  try {
    db = new Database(path.join(dataDir, DATABASE_FILE))
  } catch (error) {
    unlock()
    throw error
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${options.synchronous}`)
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db)
    // better-sqlite3 waits for a lock synchronously, freezing every board on this server. Only
    // another process (a backup tool, a stray second server) can hold the lock, so give up fast:
    // a refused append puts the room in degraded mode, which keeps people working and retries.
    db.pragma(`busy_timeout = ${RUNTIME_BUSY_TIMEOUT_MS}`)
  } catch (error) {
    db.close()
    unlock()
    throw error
  }

  const statements = {
    insertBoard: db.prepare(
      'INSERT INTO boards (id, title, language, created_at, updated_at) VALUES (@id, @title, @language, @createdAt, @updatedAt)',
    ),
    listBoards: db.prepare<[], BoardRow>('SELECT * FROM boards ORDER BY updated_at DESC, created_at DESC'),
    getBoard: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
    renameBoard: db.prepare<[string, number, string]>('UPDATE boards SET title = ?, updated_at = ? WHERE id = ?'),
    deleteBoard: db.prepare<[string]>('DELETE FROM boards WHERE id = ?'),
    touchBoard: db.prepare<[number, string]>('UPDATE boards SET updated_at = max(updated_at, ?) WHERE id = ?'),
    getSnapshot: db.prepare<[string], { data: Buffer; upto_seq: number }>('SELECT data, upto_seq FROM snapshots WHERE board_id = ?'),
    upsertSnapshot: db.prepare<[string, Uint8Array, number]>(
      'INSERT INTO snapshots (board_id, data, upto_seq) VALUES (?, ?, ?) ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, upto_seq = max(upto_seq, excluded.upto_seq)',
    ),
    listUpdates: db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq'),
    insertUpdate: db.prepare<[string, Uint8Array]>('INSERT INTO updates (board_id, data) VALUES (?, ?)'),
    deleteUpdatesUpTo: db.prepare<[string, number]>('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
    insertAsset: db.prepare(
      'INSERT INTO assets (id, board_id, mime_type, data, created_at, size) VALUES (@id, @boardId, @mimeType, @data, @createdAt, @size)',
    ),
    getAsset: db.prepare<[string], AssetRow>('SELECT id, board_id, mime_type, data, created_at FROM assets WHERE id = ?'),
    assetUsage: db.prepare<[string], { count: number; bytes: number }>(
      'SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM assets WHERE board_id = ?',
    ),
    // A board is worth a look when it changed since its last check (a reference may have gone), or
    // when an image crossed the cutoff since then (it was too young to delete last time).
    boardsWithAssetsToCheck: db.prepare<{ cutoff: number; grace: number; limit: number }, { id: string }>(
      `SELECT b.id FROM boards b
       WHERE EXISTS (
         SELECT 1 FROM assets a WHERE a.board_id = b.id AND a.created_at < @cutoff
           AND (b.updated_at >= b.assets_checked_at OR a.created_at >= b.assets_checked_at - @grace)
       )
       ORDER BY b.assets_checked_at LIMIT @limit`,
    ),
    assetIdsBefore: db.prepare<[string, number], { id: string }>('SELECT id FROM assets WHERE board_id = ? AND created_at < ?'),
    deleteAsset: db.prepare<[string, string]>('DELETE FROM assets WHERE id = ? AND board_id = ?'),
    markAssetsChecked: db.prepare<[number, string]>('UPDATE boards SET assets_checked_at = ? WHERE id = ?'),
    getPrivateSnapshot: db.prepare<[string, string], { data: Buffer; upto_seq: number }>(
      'SELECT data, upto_seq FROM private_snapshots WHERE board_id = ? AND owner = ?',
    ),
    upsertPrivateSnapshot: db.prepare<[string, string, Uint8Array, number]>(
      'INSERT INTO private_snapshots (board_id, owner, data, upto_seq) VALUES (?, ?, ?, ?) ON CONFLICT (board_id, owner) DO UPDATE SET data = excluded.data, upto_seq = max(upto_seq, excluded.upto_seq)',
    ),
    listPrivateUpdates: db.prepare<[string, string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM private_updates WHERE board_id = ? AND owner = ? ORDER BY seq',
    ),
    insertPrivateUpdate: db.prepare<[string, string, Uint8Array]>('INSERT INTO private_updates (board_id, owner, data) VALUES (?, ?, ?)'),
    deletePrivateUpdatesUpTo: db.prepare<[string, string, number]>('DELETE FROM private_updates WHERE board_id = ? AND owner = ? AND seq <= ?'),
    privateOwners: db.prepare<[string, string], { owner: string }>(
      'SELECT owner FROM private_snapshots WHERE board_id = ? UNION SELECT owner FROM private_updates WHERE board_id = ?',
    ),
    deleteBallots: db.prepare<[string, string, string]>('DELETE FROM ballots WHERE board_id = ? AND vote_id = ? AND voter = ?'),
    insertBallot: db.prepare<[string, string, string, string, string, number]>(
      'INSERT INTO ballots (board_id, vote_id, voter, name, shape_id, count) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    voterBallots: db.prepare<[string, string, string], { shape_id: string; count: number }>(
      'SELECT shape_id, count FROM ballots WHERE board_id = ? AND vote_id = ? AND voter = ?',
    ),
    voteBallots: db.prepare<[string, string], { voter: string; name: string; shape_id: string; count: number }>(
      'SELECT voter, name, shape_id, count FROM ballots WHERE board_id = ? AND vote_id = ?',
    ),
    insertSecret: db.prepare<[string, Uint8Array, number]>('INSERT OR IGNORE INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)'),
    getSecret: db.prepare<[string], { value: Buffer }>('SELECT value FROM server_secrets WHERE name = ?'),
    insertKey: db.prepare<[string, string, string, number]>('INSERT INTO board_keys (board_id, role, key, created_at) VALUES (?, ?, ?, ?)'),
    getKeys: db.prepare<[string], { role: string; key: string }>('SELECT role, key FROM board_keys WHERE board_id = ?'),
    setKey: db.prepare<[string, number, string, string]>('UPDATE board_keys SET key = ?, created_at = ? WHERE board_id = ? AND role = ?'),
  }

  const createBoard = db.transaction((meta: BoardMeta, snapshot: Uint8Array, keys: Record<Role, string>) => {
    const { id, title, language, createdAt, updatedAt } = meta
    statements.insertBoard.run({ id, title, language, createdAt, updatedAt })
    statements.upsertSnapshot.run(meta.id, blob(snapshot), 0)
    for (const [role, key] of Object.entries(keys)) statements.insertKey.run(id, role, key, createdAt)
  })
  const putAsset = db.transaction(({ id, boardId, mimeType, data, createdAt }: StoredAsset, quota?: AssetQuota): 'stored' | 'full' => {
    if (quota) {
      const usage = statements.assetUsage.get(boardId) ?? { count: 0, bytes: 0 }
      if (quota.maxCount > 0 && usage.count + 1 > quota.maxCount) return 'full'
      if (quota.maxBytes > 0 && usage.bytes + data.byteLength > quota.maxBytes) return 'full'
    }
    statements.insertAsset.run({ id, boardId, mimeType, data: blob(data), createdAt, size: data.byteLength })
    return 'stored'
  })
  const deleteAssets = db.transaction((boardId: string, ids: readonly string[]) => {
    let deleted = 0
    for (const id of ids) deleted += statements.deleteAsset.run(id, boardId).changes
    return deleted
  })
  const putBallots = db.transaction((boardId: string, voteId: string, voter: string, name: string, votes: Record<string, number>) => {
    statements.deleteBallots.run(boardId, voteId, voter)
    for (const [shapeId, count] of Object.entries(votes)) if (count > 0) statements.insertBallot.run(boardId, voteId, voter, name, shapeId, count)
  })
  const getBoardKeys = (id: string): Record<Role, string> | undefined => {
    const rows = statements.getKeys.all(id)
    if (rows.length === 0) return undefined
    const keys = {} as Record<Role, string>
    for (const { role, key } of rows) if (isRole(role)) keys[role] = key
    return keys
  }
  const appendUpdate = db.transaction((boardId: string, update: Uint8Array, now: number, owner?: string): number => {
    if (owner !== undefined) return Number(statements.insertPrivateUpdate.run(boardId, owner, blob(update)).lastInsertRowid)
    const seq = Number(statements.insertUpdate.run(boardId, blob(update)).lastInsertRowid)
    statements.touchBoard.run(now, boardId)
    return seq
  })
  const compact = db.transaction((boardId: string, snapshot: Uint8Array, uptoSeq: number, owner?: string) => {
    if (owner !== undefined) {
      statements.upsertPrivateSnapshot.run(boardId, owner, blob(snapshot), uptoSeq)
      statements.deletePrivateUpdatesUpTo.run(boardId, owner, uptoSeq)
      return
    }
    statements.upsertSnapshot.run(boardId, blob(snapshot), uptoSeq)
    statements.deleteUpdatesUpTo.run(boardId, uptoSeq)
  })
  const loadDocument = db.transaction((boardId: string, owner?: string): LoadedDocument | undefined => {
    if (!statements.getBoard.get(boardId)) return undefined
    const snapshot = owner === undefined ? statements.getSnapshot.get(boardId) : statements.getPrivateSnapshot.get(boardId, owner)
    const rows = owner === undefined ? statements.listUpdates.all(boardId) : statements.listPrivateUpdates.all(boardId, owner)
    const lastSeq = Math.max(snapshot?.upto_seq ?? 0, rows.at(-1)?.seq ?? 0)
    return { snapshot: snapshot ? new Uint8Array(snapshot.data) : null, updates: rows.map((row) => new Uint8Array(row.data)), lastSeq }
  })

  /** Runs `fn`, turning environmental SQLite failures into StorageUnavailableError. */
  async function guard<T>(what: string, fn: () => T): Promise<T> {
    try {
      return fn()
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
        throw new StorageUnavailableError(`${what} failed: ${code}`, { cause: error })
      }
      throw error
    }
  }

  return {
    createBoard: (meta, snapshot, keys) => guard('create board', () => createBoard(meta, snapshot, keys)),
    getBoardKeys: (id) => guard('read board keys', () => getBoardKeys(id)),
    setBoardKey: (id, role, key, now) => guard('rotate board key', () => statements.setKey.run(key, now, id, role).changes > 0),
    listBoards: () => guard('list boards', () => statements.listBoards.all().map(toBoardMeta)),
    getBoard: (id) =>
      guard('get board', () => {
        const row = statements.getBoard.get(id)
        return row ? toBoardMeta(row) : undefined
      }),
    renameBoard: (id, title, now) =>
      guard('rename board', () => {
        if (statements.renameBoard.run(title, now, id).changes === 0) return undefined
        const row = statements.getBoard.get(id)
        return row ? toBoardMeta(row) : undefined
      }),
    deleteBoard: (id) => guard('delete board', () => statements.deleteBoard.run(id).changes > 0),
    touchBoard: (id, now) => guard('touch board', () => void statements.touchBoard.run(now, id)),
    loadDocument: (boardId, owner) => guard('load document', () => loadDocument(boardId, owner)),
    appendUpdate: (boardId, update, now, owner) => guard('append update', () => appendUpdate(boardId, update, now, owner)),
    compact: (boardId, snapshot, uptoSeq, owner) => guard('compact', () => compact(boardId, snapshot, uptoSeq, owner)),
    privateOwners: (boardId) => guard('list private documents', () => statements.privateOwners.all(boardId, boardId).map((row) => row.owner)),
    putBallots: (boardId, voteId, voter, name, votes) => guard('store ballot', () => putBallots(boardId, voteId, voter, name, votes)),
    getBallots: (boardId, voteId, voter) =>
      guard('read ballots', () => Object.fromEntries(statements.voterBallots.all(boardId, voteId, voter).map((row) => [row.shape_id, row.count]))),
    allBallots: (boardId, voteId) =>
      guard('read ballots', () => statements.voteBallots.all(boardId, voteId).map((row) => ({ voter: row.voter, name: row.name, shapeId: row.shape_id, count: row.count }))),
    serverSecret: (name, fresh, now) =>
      guard('read server secret', () => {
        statements.insertSecret.run(name, blob(fresh), now)
        return new Uint8Array(statements.getSecret.get(name)!.value)
      }),
    putAsset: (asset, quota) => guard('store image', () => putAsset(asset, quota)),
    assetUsage: (boardId) => guard('count images', () => statements.assetUsage.get(boardId) ?? { count: 0, bytes: 0 }),
    boardsWithAssetsToCheck: (cutoff, graceMs, limit) =>
      guard('find images to check', () => statements.boardsWithAssetsToCheck.all({ cutoff, grace: graceMs, limit }).map((row) => row.id)),
    assetIdsBefore: (boardId, cutoff) => guard('list images', () => statements.assetIdsBefore.all(boardId, cutoff).map((row) => row.id)),
    deleteAssets: (boardId, ids) => guard('delete images', () => deleteAssets(boardId, ids)),
    markAssetsChecked: (boardId, now) => guard('mark images checked', () => void statements.markAssetsChecked.run(now, boardId)),
    getAsset: (id) =>
      guard('read image', () => {
        const row = statements.getAsset.get(id)
        if (!row) return undefined
        return { id: row.id, boardId: row.board_id, mimeType: row.mime_type, data: new Uint8Array(row.data), createdAt: row.created_at }
      }),
    close: async () => {
      if (db.open) db.close()
      unlock()
    },
  }
}
