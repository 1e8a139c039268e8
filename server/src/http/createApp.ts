/** The express application: API, health check, images and the web client. */
import express, { type Express } from 'express'
import { ASSET_MIME_TYPES, type ClientConfig } from '../../../shared/api'
import type * as Y from 'yjs'
import type { BoardAccessControl } from '../access/boardAccess'
import { createCreationGate } from '../access/creationCode'
import { createAddressRateLimiter, createRateLimiter } from '../access/rateLimit'
import type { Config } from '../config'
import type { Logger } from '../log'
import type { DerivedState, RoomStats } from '../room/RoomManager'
import type { Storage } from '../storage/Storage'
import { templateCatalog, type TemplateCatalog } from '../templates/loadTemplates'
import { assetsRoutes } from './assetsRoutes'
import { boardsRoutes } from './boardsRoutes'
import { clientRoutes } from './clientRoutes'
import { documentRoutes } from './documentRoutes'
import { errorHandler, notFound } from './errors'
import { securityHeaders } from './securityHeaders'
import { templatesRoutes } from './templatesRoutes'
import { privateModeRoutes } from './privateModeRoutes'
import { votesRoutes } from './votesRoutes'

const HOUR_MS = 60 * 60_000

/** Everything the HTTP layer depends on. */
export interface AppDeps {
  config: Config
  storage: Storage
  access: BoardAccessControl
  rooms: {
    stats(): RoomStats
    closeBoard(boardId: string): void
    revokeKey(boardId: string, key: string): void
    readBoard<T>(boardId: string, read: (doc: Y.Doc) => T): Promise<T | undefined>
    changeBoard(boardId: string, change: (doc: Y.Doc) => void): Promise<boolean>
    loadedDocuments(): string[]
    derivedFullState(docName: string, key: string, derive: (update: Uint8Array) => Promise<Uint8Array>): Promise<DerivedState>
  }
  log: Logger
  /** Directory of the built client (dist/client). */
  clientDir: string
  /** Validated templates boards can be created from (none by default). */
  templates?: TemplateCatalog
  startedAt?: number
  /** Clock for counting wrong organiser codes and hourly limits (tests move it instead of waiting). */
  now?: () => number
}

/** Builds the express app; it does not listen. */
export function createApp({
  config,
  storage,
  access,
  rooms,
  log,
  clientDir,
  templates = templateCatalog([]),
  startedAt = Date.now(),
  now = Date.now,
}: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(securityHeaders({ frameAncestors: config.frameAncestors, publicUrl: config.publicUrl }))

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true, ...rooms.stats(), uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) })
  })

  const creation = createCreationGate(config.boardCreationCode, { now })
  const clientConfig: ClientConfig = {
    tldrawLicenseKey: config.tldrawLicenseKey,
    publicUrl: config.publicUrl,
    maxAssetBytes: config.maxAssetBytes,
    assetMimeTypes: [...ASSET_MIME_TYPES],
    // Only whether a code is needed, never the code: this answer is public and cached.
    boardCreation: creation.mode,
  }
  app.get('/api/config', (_req, res) => {
    res.json(clientConfig)
  })
  // The server's clock, so browsers can agree on countdowns whatever their own clocks say (shared/clock.ts).
  app.get('/api/time', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ now: Date.now() })
  })
  app.use('/api/templates', templatesRoutes(templates))
  app.use(
    '/api/boards',
    boardsRoutes({
      storage,
      access,
      templates,
      creation,
      creationRate: createAddressRateLimiter({ limit: config.boardsPerHourPerAddress, windowMs: HOUR_MS, now }),
      log,
      closeBoard: (id) => rooms.closeBoard(id),
      revokeKey: (id, key) => rooms.revokeKey(id, key),
    }),
  )
  app.use('/api/boards', documentRoutes({ access, rooms }))
  app.use('/api/boards', votesRoutes({ storage, access, rooms, votersPerAddressPerHour: config.votersPerAddressPerHour, log }))
  app.use('/api/boards', privateModeRoutes({ storage, access, rooms }))
  app.use(
    '/api',
    assetsRoutes({
      storage,
      access,
      maxAssetBytes: config.maxAssetBytes,
      quota: { maxCount: config.maxImagesPerBoard, maxBytes: config.maxImageBytesPerBoard },
      boardRate: createRateLimiter({ limit: config.uploadsPerHourPerBoard, windowMs: HOUR_MS, now }),
      addressRate: createAddressRateLimiter({ limit: config.uploadsPerHourPerAddress, windowMs: HOUR_MS, now }),
      log,
    }),
  )
  app.use('/api', (_req, res) => notFound(res, 'no such API endpoint'))
  app.use(clientRoutes(clientDir))
  app.use(errorHandler(log))
  return app
}
