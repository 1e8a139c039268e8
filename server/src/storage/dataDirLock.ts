/**
 * One server process per data directory. Two processes on one SQLite file
 * (an overlapping deploy, a second `npm run serve`) each keep their own copy
 * of a board in memory and overwrite each other's snapshots, losing edits
 * that people had seen. The lock file names the owner's pid; a lock left by
 * a process that no longer exists (kill -9, power cut) is taken over.
 */
import fs from 'node:fs'
import path from 'node:path'

/** File in DATA_DIR holding the owning process's pid. */
export const LOCK_FILE = 'server.lock'

/** Thrown when another live process owns the data directory. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${dataDir} is in use by another server process (pid ${pid}). ` +
        'Stop that process first, or give this one another DATA_DIR.',
    )
    this.name = 'DataDirInUseError'
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means "in use".
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10)
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** Takes the data directory for this process; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // 'wx' creates atomically, so two servers starting at the same moment cannot both win.
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      return () => {
        if (readOwner(file) === process.pid) fs.rmSync(file, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = readOwner(file)
    // Our own pid: a lock left by an earlier life of this pid (container restarts reuse pid 1).
    if (owner !== null && owner !== process.pid && isAlive(owner)) throw new DataDirInUseError(dataDir, owner)
    fs.rmSync(file, { force: true })
  }
  throw new Error(`could not take the lock file ${file}`)
}
