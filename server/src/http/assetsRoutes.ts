/**
 * Image uploads and downloads. Images never travel through the Y.Doc: the
 * document holds only the returned same-origin URL, so a pasted photo does
 * not bloat every client's sync.
 */
import express, { Router, type RequestHandler } from 'express'
import { apiError, ASSET_MIME_TYPES, type UploadedAsset } from '../../../shared/api'
import { isBoardId } from '../../../shared/boardId'
import { newAssetId } from '../boards/ids'
import type { BoardAccessControl } from '../access/boardAccess'
import type { Storage } from '../storage/Storage'
import { notFound, sendError } from './errors'
import { requireRole } from './requireRole'

/** Path prefix images are served under. */
export const ASSETS_PATH = '/api/assets'

// Uploaded SVG is attacker-controlled markup: opened directly it must not run
// script or reach anything, and no type may be sniffed into HTML.
const ASSET_HEADERS = {
  'Cache-Control': 'public, max-age=31536000, immutable',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
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
  now = Date.now,
}: {
  storage: Storage
  access: BoardAccessControl
  maxAssetBytes: number
  now?: () => number
}): Router {
  const router = Router()

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
    requireImageType,
    express.raw({ type: () => true, limit: maxAssetBytes }),
    async (req, res) => {
      const body: unknown = req.body
      if (!(body instanceof Uint8Array) || body.byteLength === 0) {
        return sendError(res, apiError('invalid-field', 'the request body must be the image bytes', 'body'))
      }
      const id = newAssetId()
      await storage.putAsset({ id, boardId: req.params.id, mimeType: mediaType(req.headers['content-type']), data: body, createdAt: now() })
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
