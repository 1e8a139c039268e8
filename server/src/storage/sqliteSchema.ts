/**
 * The SQLite schema and its migrations. Each migration runs once, in order,
 * inside a transaction; `schema_version` records how far a database has come,
 * so an older database is upgraded in place and a newer one is refused.
 */
import type Database from 'better-sqlite3'

const MIGRATIONS: string[] = [
  // 1: boards, their document (snapshot + update log) and their images.
  `
  CREATE TABLE boards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX boards_updated_at ON boards (updated_at DESC);
  CREATE TABLE snapshots (
    board_id TEXT PRIMARY KEY REFERENCES boards (id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    upto_seq INTEGER NOT NULL
  );
  -- AUTOINCREMENT: sequence numbers are never reused, so "delete seq <= n" after
  -- a compaction can never hit an update appended later.
  CREATE TABLE updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  CREATE INDEX updates_board_seq ON updates (board_id, seq);
  CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    mime_type TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX assets_board ON assets (board_id);
  `,
  // 2: a secret key per role and board (links). Boards from before roles get fresh random keys.
  `
  CREATE TABLE board_keys (
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'viewer')),
    key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, role)
  );
  INSERT INTO board_keys (board_id, role, key, created_at)
    SELECT b.id, r.role, lower(hex(randomblob(16))), b.created_at
    FROM boards b, (SELECT 'facilitator' AS role UNION ALL SELECT 'participant' UNION ALL SELECT 'viewer') r;
  `,
  // 3: dot-voting ballots, kept on the server only (nobody's votes reach a browser before the reveal).
  `
  CREATE TABLE ballots (
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    vote_id TEXT NOT NULL,
    voter TEXT NOT NULL,
    name TEXT NOT NULL,
    shape_id TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (board_id, vote_id, voter, shape_id)
  );
  `,
  // 4: private documents (private mode): one per board and owner (a hash of the owner's secret).
  `
  CREATE TABLE private_snapshots (
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    data BLOB NOT NULL,
    upto_seq INTEGER NOT NULL,
    PRIMARY KEY (board_id, owner)
  );
  CREATE TABLE private_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX private_updates_doc ON private_updates (board_id, owner, seq);
  `,
  // 5: the interpreter role: the role check widened (SQLite rebuilds the table for that), a key for every board.
  `
  CREATE TABLE board_keys_new (
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'interpreter', 'participant', 'viewer')),
    key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, role)
  );
  INSERT INTO board_keys_new SELECT board_id, role, key, created_at FROM board_keys;
  DROP TABLE board_keys;
  ALTER TABLE board_keys_new RENAME TO board_keys;
  INSERT INTO board_keys (board_id, role, key, created_at)
    SELECT id, 'interpreter', lower(hex(randomblob(16))), created_at FROM boards;
  `,
  // 6: the server's own secrets, created once and kept with the data (e.g. the key that signs voter ids).
  `
  CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 7: image quotas and the clean-up of unused images. Each image's size (summed per board without
  // reading the blobs); when the clean-up last looked at a board's images (0: never).
  `
  ALTER TABLE assets ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
  UPDATE assets SET size = length(data);
  CREATE INDEX assets_created_at ON assets (created_at);
  ALTER TABLE boards ADD COLUMN assets_checked_at INTEGER NOT NULL DEFAULT 0;
  `,
]

/** The schema version this server writes. */
export const SCHEMA_VERSION = MIGRATIONS.length

/** Brings `db` up to SCHEMA_VERSION; throws if the file is from a newer server. */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
  const row = db.prepare<[], { version: number }>('SELECT version FROM schema_version').get()
  const current = row?.version ?? 0
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this server understands (${SCHEMA_VERSION}); upgrade the server`)
  }
  db.transaction(() => {
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version - 1])
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION)
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION)
  })()
}
