/**
 * Wires the parts together: storage, room manager, HTTP app and websocket
 * sync on one HTTP server; and takes them apart again in the right order.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { closeReasonFor, createBoardAccess } from './access/boardAccess'
import { createDocumentGuard } from './access/documentRules'
import { createPrivateDocumentQuota } from './access/privateDocumentQuota'
import { canEditContent } from '../../shared/access'
import { Close } from '../../shared/protocol'
import { parseDocName } from '../../shared/privateMode'
import type { Config } from './config'
import { createUnusedImageSweeper } from './boards/unusedImages'
import { createApp } from './http/createApp'
import { createIdleCollector } from './idleGc'
import type { Logger } from './log'
import { RoomManager } from './room/RoomManager'
import { openSqliteStorage } from './storage/SqliteStorage'
import type { Storage } from './storage/Storage'
import { attachSync } from './sync/attachSync'
import { loadTemplates, TEMPLATES_DIR } from './templates/loadTemplates'

/** Where `vite build` puts the client, relative to this file. */
export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/client')

/** A running server. */
export interface RunningServer {
  address: AddressInfo
  rooms: RoomManager
  /** Stops accepting, writes every room, closes sockets and the database. */
  shutdown(): Promise<void>
}

/**
 * Opens storage and starts listening as configured. Loads and validates every
 * template first: a broken template folder stops the start-up, naming the file and field.
 */
export async function startServer(
  config: Config,
  log: Logger,
  storage?: Storage,
  templatesDir: string = TEMPLATES_DIR,
): Promise<RunningServer> {
  const templates = loadTemplates(templatesDir)
  if (!templates.ok) throw new Error(`broken template: ${templates.error}`)
  storage ??= openSqliteStorage(config.dataDir, { synchronous: config.sqliteSynchronous })
  const access = createBoardAccess(storage)
  const privateDocuments = createPrivateDocumentQuota({
    limit: config.maxPrivateDocumentsPerBoard,
    storedOwners: (boardId) => storage.privateOwners(boardId),
    loadedDocuments: () => rooms.loadedDocuments(),
  })
  const rooms: RoomManager = new RoomManager({
    admit: async (boardId, key, docName) => {
      const check = await access.check(boardId, key)
      if (check.kind !== 'granted') return { kind: 'denied', reason: closeReasonFor(check) }
      // A new private document beyond the board's limit (a viewer's is refused by the room manager).
      const { owner } = parseDocName(docName)
      if (owner !== undefined && canEditContent(check.role) && !(await privateDocuments.admit(boardId, owner))) {
        return { kind: 'denied', reason: Close.tooManyPrivateDocuments }
      }
      return check
    },
    // Every document has its rules; a private document only ever holds its owner's own (valid) notes.
    createWriteGuard: (doc, docName) => {
      const { boardId, owner } = parseDocName(docName)
      return createDocumentGuard(doc, owner === undefined ? 'board' : 'private', {
        error: (message, fields) => log.error(message, { boardId, ...fields }),
      })
    },
    boardOf: (docName) => parseDocName(docName).boardId,
    load: (docName) => {
      const { boardId, owner } = parseDocName(docName)
      return storage.loadDocument(boardId, owner)
    },
    persistenceFor: (docName) => {
      const { boardId, owner } = parseDocName(docName)
      return {
        appendUpdate: (update) => storage.appendUpdate(boardId, update, Date.now(), owner),
        compact: (snapshot, uptoSeq) => storage.compact(boardId, snapshot, uptoSeq, owner),
      }
    },
    log,
    roomIdleMs: config.roomIdleMs,
    maxBufferedBytes: config.maxBufferedBytes,
    maxPendingBytes: 2 * config.maxMessageBytes,
    compactAfterUpdates: config.compactAfterUpdates,
    maxBoardBytes: config.maxBoardBytes,
    maxUpdatesPerSecond: config.maxUpdatesPerSecond,
    presenceLimits: {
      maxStateBytes: config.maxPresenceStateBytes,
      maxClientsPerSocket: config.maxPresenceClientsPerSocket,
      maxEntriesPerFrame: config.maxPresenceEntriesPerFrame,
    },
    // Memory follows active boards only if the garbage they leave is collected while idle (see idleGc.ts).
    onAllUnloaded: () => idle.becameIdle(),
  })
  const idle = createIdleCollector(
    () => rooms.stats().rooms === 0,
    (phase, ms, trimmed) => log.debug('idle: collected garbage', { phase, ms, trimmed }),
  )
  const app = createApp({ config, storage, access, rooms, log, clientDir: CLIENT_DIR, templates: templates.value })
  // Images no document refers to any more, older than the grace period, are deleted (boards/unusedImages.ts).
  const unusedImages = createUnusedImageSweeper({ storage, rooms, graceMs: config.unusedImageGraceMs, log })
  unusedImages.start()
  const server = http.createServer(app)
  const stopSync = attachSync(server, rooms, { maxMessageBytes: config.maxMessageBytes, log })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (error) => log.error('http server error', { error }))

  let stopping: Promise<void> | undefined
  const shutdown = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      idle.stop()
      await unusedImages.stop()
      await rooms.shutdown()
      await stopSync()
      server.closeAllConnections()
      await closed
      await storage.close()
    })())

  return { address: server.address() as AddressInfo, rooms, shutdown }
}
