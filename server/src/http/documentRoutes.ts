/**
 * The board's document over HTTP: a newcomer's browser fetches it compressed
 * before it opens the websocket, so the sync that follows only exchanges the
 * small difference. The websocket itself stays uncompressed (permessage-deflate
 * would compress every cursor frame too; see bench/findings.md).
 *
 * Only the board's own document (docName = board id), never a private one:
 * requireRole accepts nothing but a board id in the path.
 */
import { Router } from 'express'
import Negotiator from 'negotiator'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { apiError } from '../../../shared/api'
import type { BoardAccessControl } from '../access/boardAccess'
import type { DerivedState } from '../room/RoomManager'
import { notFound, sendError } from './errors'
import { requireRole } from './requireRole'

/** What the document route needs of the room manager. */
export interface DocumentRoutesDeps {
  access: BoardAccessControl
  rooms: {
    derivedFullState(docName: string, key: string, derive: (update: Uint8Array) => Promise<Uint8Array>): Promise<DerivedState>
  }
}

/** Content codings we answer with, most preferred first. */
export type DocumentEncoding = 'br' | 'gzip' | 'identity'

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

/**
 * Compresses off the event loop (zlib's thread pool). Brotli at quality 4 is
 * about as fast as gzip 6 and a little smaller; the higher qualities cost
 * seconds on a big board for a few percent.
 */
const COMPRESS: Record<DocumentEncoding, (update: Uint8Array) => Promise<Uint8Array>> = {
  br: (update) =>
    brotli(update, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: update.byteLength,
      },
    }),
  gzip: (update) => gzip(update, { level: 6 }),
  identity: async (update) => update,
}

/** Codings on offer, in our order of preference; x-gzip is the old name of gzip (RFC 9110). */
const OFFERED = ['br', 'gzip', 'x-gzip', 'identity']

/**
 * The coding to answer `Accept-Encoding` with, by negotiator (what express
 * negotiates with): the best-rated coding the client accepts, ties broken in
 * our order, so br wins over gzip when a browser lists both (Chromium lists
 * gzip first). Identity when nothing else is acceptable, even if refused: we
 * send it anyway rather than a 406 nobody handles.
 */
export function chooseEncoding(header: string | undefined): DocumentEncoding {
  const [best] = new Negotiator({ headers: { 'accept-encoding': header } }).encodings(OFFERED, { preferred: OFFERED })
  return best === 'br' ? 'br' : best === 'gzip' || best === 'x-gzip' ? 'gzip' : 'identity'
}

/** `GET /api/boards/:id/document`. */
export function documentRoutes({ access, rooms }: DocumentRoutesDeps): Router {
  const router = Router()

  // Every role may read the board, so every role's key works (viewer included).
  router.get('/:id/document', requireRole(access, 'viewer'), async (req, res) => {
    const encoding = chooseEncoding(req.headers['accept-encoding'])
    const state = await rooms.derivedFullState(req.params.id, encoding, COMPRESS[encoding])
    if (state.kind === 'unknown') return notFound(res, 'board not found')
    // Never an empty document in its place: applied, it would look like an empty board.
    if (state.kind === 'failed') return sendError(res, apiError('storage-unavailable', 'the board could not be loaded, try again shortly'))
    res.set({
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'no-store',
      Vary: 'Accept-Encoding',
      'Content-Length': String(state.bytes.byteLength),
    })
    if (encoding !== 'identity') res.set('Content-Encoding', encoding)
    res.end(Buffer.from(state.bytes.buffer, state.bytes.byteOffset, state.bytes.byteLength))
  })

  return router
}
