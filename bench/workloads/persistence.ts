/**
 * Workload 4 "persistence", part 2: evidence that OUR server persisted the
 * workload-1 traffic. The write latency itself is measured inside the server
 * by bench/lib/sqliteProbe.mjs during the workload-1 window (see
 * WindowResult.updateLogWrite). Here we open the server's database read-only
 * while it is still running and count what the update log holds.
 * The stock reference server has no persistence at all.
 */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export interface PersistenceEvidence {
  databaseFile: string | null
  databaseBytes: number | null
  walBytes: number | null
  tables: Record<string, number>
  updateLogBytes: number | null
  error?: string
}

export function inspectDataDir(dataDir: string | null): PersistenceEvidence {
  const out: PersistenceEvidence = { databaseFile: null, databaseBytes: null, walBytes: null, tables: {}, updateLogBytes: null }
  if (!dataDir) return { ...out, error: 'no data directory' }
  const file = join(dataDir, 'whiteboard.db')
  if (!existsSync(file)) return { ...out, error: `no database at ${file}` }
  out.databaseFile = 'DATA_DIR/whiteboard.db'
  out.databaseBytes = statSync(file).size
  out.walBytes = existsSync(file + '-wal') ? statSync(file + '-wal').size : 0
  let db: Database.Database | null = null
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
    for (const { name } of tables) {
      out.tables[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n
    }
    if (tables.some((t) => t.name === 'updates')) {
      out.updateLogBytes = (db.prepare('SELECT coalesce(sum(length(data)), 0) AS b FROM updates').get() as { b: number }).b
    }
  } catch (e) {
    out.error = String((e as Error).message ?? e)
  } finally {
    db?.close()
  }
  return out
}
