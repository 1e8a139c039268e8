/**
 * Image uploads and downloads. Images never travel through the Y.Doc: the
 * document holds only the returned same-origin URL, so a pasted photo does
 * not bloat every client's sync.
 */
import express, { Router, type RequestHandler, type Response } from 'express'
import { apiError, ASSET_MIME_TYPES, type UploadedAsset } from '../../../shared/api'
import { isBoardId } from '../../../shared/boardId'
import { newAssetId } from '../boards/ids'
import type { BoardAccessControl } from '../access/boardAccess'
import { createRateLimiter, requestAddress, retryAfterSeconds, type RateLimiter } from '../access/rateLimit'
import type { Logger } from '../log'
import type { AssetQuota, Storage } from '../storage/Storage'
import { notFound, sendError } from './errors'
import { requireRole } from './requireRole'

/** Path prefix images are served under. */
export const ASSETS_PATH = '/api/assets'

// Uploaded SVG is attacker-controlled markup: opened directly it must not run
// script or reach anything, and no type may be sniffed into HTML.
const ASSET_HEADERS = {
  'Cache-Control': 'public, max-age=31536000, immutable',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'",
} as const

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase()
}

function isAssetMimeType(type: string): type is (typeof ASSET_MIME_TYPES)[number] {
  return (ASSET_MIME_TYPES as readonly string[]).includes(type)
}

/** Routes for POST /api/boards/:id/assets and GET /api/assets/:assetId. */
export function assetsRoutes({
  storage,
  access,
  maxAssetBytes,
  quota = { maxCount: 0, maxBytes: 0 },
  boardRate = createRateLimiter({ limit: 0, windowMs: 1 }),
  addressRate = createRateLimiter({ limit: 0, windowMs: 1 }),
  log,
  now = Date.now,
}: {
  storage: Storage
  access: BoardAccessControl
  maxAssetBytes: number
  /** What one board may hold (MAX_IMAGES_PER_BOARD, MAX_IMAGE_BYTES_PER_BOARD). */
  quota?: AssetQuota
  /** Uploads per board per hour (UPLOADS_PER_HOUR_PER_BOARD), keyed by board id. */
  boardRate?: RateLimiter
  /** Uploads per address per hour (UPLOADS_PER_HOUR_PER_ADDRESS), keyed by address. */
  addressRate?: RateLimiter
  log?: Logger
  now?: () => number
}): Router {
  const router = Router()

  const tooManyUploads = (res: Response, retryAfterMs: number, what: string) => {
    res.set('Retry-After', retryAfterSeconds(retryAfterMs))
    sendError(res, apiError('too-many-uploads', `${what} has uploaded as many images as it may this hour; try again later`))
  }
  const boardFull = (res: Response) =>
    sendError(res, apiError('board-images-full', 'this board holds as many images (or bytes of images) as it may; remove some first'))
  /** Refuses (before the body is read) when the board or the address has used up its hour. */
  const uploadRatesOpen: RequestHandler = (req, res, next) => {
    const board = boardRate.peek(req.params.id as string)
    if (!board.ok) return tooManyUploads(res, board.retryAfterMs, 'this board')
    const address = addressRate.peek(requestAddress(req))
    if (!address.ok) return tooManyUploads(res, address.retryAfterMs, 'this address')
    next()
  }
  /** A board already at its limit is refused before the body is read (by Content-Length when sent). */
  const boardHasRoom: RequestHandler = async (req, res, next) => {
    if (quota.maxCount === 0 && quota.maxBytes === 0) return next()
    const usage = await storage.assetUsage(req.params.id as string)
    const incoming = Number(req.headers['content-length'] ?? 0) || 0
    if (quota.maxCount > 0 && usage.count >= quota.maxCount) return boardFull(res)
    if (quota.maxBytes > 0 && usage.bytes + incoming > quota.maxBytes) return boardFull(res)
    next()
  }

  // Checked before the body is read, so a rejected upload is not buffered. Images are read
  // by their unguessable URL alone (an <img> cannot send a key); adding one takes a participant.
  const requireBoard = requireRole(access, 'participant')
  const requireImageType: RequestHandler = (req, res, next) => {
    if (!isAssetMimeType(mediaType(req.headers['content-type']))) {
      return sendError(res, apiError('unsupported-media-type', `Content-Type must be one of ${ASSET_MIME_TYPES.join(', ')}`))
    }
    next()
  }

  router.post(
    '/boards/:id/assets',
    requireBoard,
    uploadRatesOpen,
    requireImageType,
    boardHasRoom,
    express.raw({ type: () => true, limit: maxAssetBytes }),
    async (req, res) => {
      const body: unknown = req.body
      if (!(body instanceof Uint8Array) || body.byteLength === 0) {
        return sendError(res, apiError('invalid-field', 'the request body must be the image bytes', 'body'))
      }
      // Counted once the image is read and about to be stored (a refused type or size costs nothing).
      const boardId = req.params.id as string
      const address = requestAddress(req)
      const board = boardRate.peek(boardId)
      if (!board.ok) return tooManyUploads(res, board.retryAfterMs, 'this board')
      const counted = addressRate.take(address)
      if (!counted.ok) {
        log?.warn('image upload: address reached its hourly limit', { address })
        return tooManyUploads(res, counted.retryAfterMs, 'this address')
      }
      boardRate.take(boardId)
      const id = newAssetId()
      const stored = await storage.putAsset({ id, boardId, mimeType: mediaType(req.headers['content-type']), data: body, createdAt: now() }, quota)
      if (stored === 'full') return boardFull(res)
      const uploaded: UploadedAsset = { src: `${ASSETS_PATH}/${id}` }
      res.status(201).location(uploaded.src).json(uploaded)
    },
  )

  router.get('/assets/:assetId', async (req, res) => {
    const asset = isBoardId(req.params.assetId) ? await storage.getAsset(req.params.assetId) : undefined
    if (!asset) return notFound(res, 'image not found')
    res.set(ASSET_HEADERS).type(asset.mimeType).send(Buffer.from(asset.data.buffer, asset.data.byteOffset, asset.data.byteLength))
  })

  return router
}
