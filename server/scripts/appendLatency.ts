/**
 * Measures update-log append latency for each SQLITE_SYNCHRONOUS mode on this
 * machine, to back the default in config.ts. Run it idle and with the CPUs
 * busy (e.g. two `node -e "for(;;){}"` beside it):
 *   node --import tsx server/scripts/appendLatency.ts
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SQLITE_SYNCHRONOUS_MODES } from '../src/config'
import { newBoardKeys } from '../src/access/boardAccess'
import { openSqliteStorage } from '../src/storage/SqliteStorage'

const APPENDS = 2000
const boardId = 'A'.repeat(22)
const update = new Uint8Array(300).fill(7) // about one moved note

for (const mode of SQLITE_SYNCHRONOUS_MODES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-latency-'))
  const storage = openSqliteStorage(dir, { synchronous: mode })
  await storage.createBoard({ id: boardId, title: 'bench', language: 'en', createdAt: 0, updatedAt: 0 }, new Uint8Array([0, 0]), newBoardKeys())
  const ms: number[] = []
  for (let i = 0; i < APPENDS; i++) {
    const start = process.hrtime.bigint()
    await storage.appendUpdate(boardId, update, Date.now())
    ms.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  ms.sort((a, b) => a - b)
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(3)
  console.log(`${mode.padEnd(6)} p50 ${at(0.5)} ms  p99 ${at(0.99)} ms  max ${at(1)} ms`)
  await storage.close()
  fs.rmSync(dir, { recursive: true, force: true })
}
