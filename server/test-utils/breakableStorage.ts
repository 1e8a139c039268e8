/** Fault injection for storage tests: a real adapter whose document writes can be made to fail. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SYNC_PATH } from '../../shared/protocol'
import { loadConfig } from '../src/config'
import { startServer } from '../src/createServer'
import { silentLogger } from '../src/log'
import { openSqliteStorage } from '../src/storage/SqliteStorage'
import { StorageUnavailableError, type Storage } from '../src/storage/Storage'

/** The real adapter, with document writes that fail while `broken` is set. */
export function breakableStorage(inner: Storage): Storage & { broken: boolean } {
  const fail = (): never => {
    throw new StorageUnavailableError('append update failed: SQLITE_FULL')
  }
  return Object.assign(Object.create(inner) as Storage, {
    broken: false,
    appendUpdate(this: { broken: boolean }, ...args: Parameters<Storage['appendUpdate']>) {
      return this.broken ? Promise.reject(fail()) : inner.appendUpdate(...args)
    },
    compact(this: { broken: boolean }, ...args: Parameters<Storage['compact']>) {
      return this.broken ? Promise.reject(fail()) : inner.compact(...args)
    },
  })
}


/** A real server running inside the test process on a real port, whose storage can be broken on demand. */
export interface BreakableServer {
  url: string
  wsUrl: string
  dataDir: string
  storage: Storage & { broken: boolean }
  shutdown(): Promise<void>
}

/** Starts the real server in-process (port 0, fresh temp DATA_DIR) on the real SQLite adapter, wrapped breakable. */
export async function startBreakableServer(): Promise<BreakableServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whiteboard-breakable-'))
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir })
  if (!config.ok) throw new Error(config.error)
  const storage = breakableStorage(openSqliteStorage(dataDir, { synchronous: 'NORMAL' }))
  const server = await startServer(config.value, silentLogger, storage)
  const url = `http://127.0.0.1:${server.address.port}`
  return {
    url,
    wsUrl: `ws://127.0.0.1:${server.address.port}${SYNC_PATH}`,
    dataDir,
    storage,
    shutdown: () => server.shutdown(),
  }
}
