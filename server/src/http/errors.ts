/**
 * Turning failures into the API's JSON error shape (shared/api.ts), including
 * the errors express' own body parsers raise, which would otherwise be HTML.
 */
import type { ErrorRequestHandler, Response } from 'express'
import { apiError, type ApiError, type ApiErrorCode } from '../../../shared/api'
import type { Logger } from '../log'
import { StorageUnavailableError } from '../storage/Storage'

const STATUS: Record<ApiErrorCode, number> = {
  'invalid-json': 400,
  'invalid-field': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'storage-unavailable': 503,
  internal: 500,
  'creation-code-required': 401,
  'creation-code-wrong': 403,
  'too-many-attempts': 429,
  'voter-not-issued': 403,
  'too-many-voters': 429,
  'too-many-boards': 429,
  'too-many-uploads': 429,
  'board-images-full': 413,
}

/** Sends an ApiError with the HTTP status its code implies. */
export function sendError(res: Response, error: ApiError): void {
  res.status(STATUS[error.error.code]).json(error)
}

/** The 404 for an unknown board, image or API path. */
export function notFound(res: Response, what = 'not found'): void {
  sendError(res, apiError('not-found', what))
}

/** The `type` body-parser (raw-body) puts on the errors it throws. */
function parserErrorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined
  return typeof error.type === 'string' ? error.type : undefined
}

/** Last middleware: every error becomes JSON; unexpected ones are logged as 500 internal. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error)
      return
    }
    switch (parserErrorType(error)) {
      case 'entity.parse.failed':
        return sendError(res, apiError('invalid-json', 'request body is not valid JSON'))
      case 'entity.too.large':
        return sendError(res, apiError('payload-too-large', 'request body is too large'))
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return sendError(res, apiError('unsupported-media-type', 'unsupported body encoding'))
      case 'request.aborted':
        return
    }
    // The router could not percent-decode a path parameter (`/api/boards/%ZZ`): a bad link, not a bug.
    if (error instanceof URIError) return notFound(res)
    if (error instanceof StorageUnavailableError) {
      log.error('storage unavailable', { method: req.method, path: req.path, error })
      return sendError(res, apiError('storage-unavailable', 'storage is unavailable, try again shortly'))
    }
    log.error('request failed', { method: req.method, path: req.path, error })
    sendError(res, apiError('internal', 'internal server error'))
  }
}
