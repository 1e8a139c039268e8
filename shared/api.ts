/**
 * HTTP API shapes and their validators, shared by the server (which validates
 * every body it receives) and the client (which reads the responses).
 */
import type { BoardKeys, Role } from './access'
import { isLanguage, LANGUAGES, type Language } from './languages'
import { err, ok, type Result } from './result'

/** Longest board title accepted, in characters. */
export const MAX_TITLE_LENGTH = 200

/** What the server says about one board. */
export interface BoardMeta {
  id: string
  title: string
  language: Language
  /** Milliseconds since the epoch. */
  createdAt: number
  /** Milliseconds since the epoch of the last stored change (content or title). */
  updatedAt: number
}

/**
 * A board as one link holder sees it: its metadata, the role their key grants,
 * and the keys they may share (facilitator: all three; participant: participant
 * and viewer; viewer: viewer). Response of create, read and link rotation.
 */
export interface BoardAccess {
  board: BoardMeta
  role: Role
  keys: BoardKeys
}

/** Error vocabulary of the HTTP API: `code` is stable, `message` is for people. */
export type ApiErrorCode =
  | 'invalid-json'
  | 'invalid-field'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'storage-unavailable'
  | 'internal'
  | 'creation-code-required'
  | 'creation-code-wrong'
  | 'too-many-attempts'
  | 'voter-not-issued'
  | 'too-many-voters'

/** Body of every non-2xx JSON response. */
export interface ApiError {
  error: {
    code: ApiErrorCode
    message: string
    /** The offending field, for `invalid-field`. */
    field?: string
  }
}

export function apiError(code: ApiErrorCode, message: string, field?: string): ApiError {
  return { error: field === undefined ? { code, message } : { code, message, field } }
}

/**
 * Header carrying the organiser code on `POST /api/boards` when the server was
 * started with BOARD_CREATION_CODE. A header, not a body field, so the code is
 * checked before the body is read and never mixes with what is stored.
 */
export const BOARD_CREATION_CODE_HEADER = 'X-Board-Creation-Code'

/** Who may create boards: anyone who reaches the server, or whoever has the organiser code. */
export type BoardCreation = 'open' | 'code'

/** Body of `POST /api/boards`. */
export interface CreateBoardBody {
  title: string
  language: Language
  /** Id of a template (see `GET /api/templates`) to fill the board with; absent for a blank board. */
  template?: string
}

/** Body of `PATCH /api/boards/:id`. */
export interface RenameBoardBody {
  title: string
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseTitle(value: unknown): Result<string, ApiError> {
  if (typeof value !== 'string') return err(apiError('invalid-field', 'title must be a string', 'title'))
  const title = value.trim()
  if (title.length === 0) return err(apiError('invalid-field', 'title must not be empty', 'title'))
  if (title.length > MAX_TITLE_LENGTH) {
    return err(apiError('invalid-field', `title must be at most ${MAX_TITLE_LENGTH} characters`, 'title'))
  }
  return ok(title)
}

function unknownFields(body: Record<string, unknown>, allowed: string[]): ApiError | undefined {
  const extra = Object.keys(body).find((key) => !allowed.includes(key))
  return extra === undefined ? undefined : apiError('invalid-field', `unknown field "${extra}"`, extra)
}

/**
 * Validates the body of `POST /api/boards`. `templateIds` are the templates
 * the server has loaded; any other `template` is refused, naming the field.
 */
export function parseCreateBoard(body: unknown, templateIds: readonly string[] = []): Result<CreateBoardBody, ApiError> {
  if (!isPlainObject(body)) return err(apiError('invalid-json', 'body must be a JSON object'))
  const extra = unknownFields(body, ['title', 'language', 'template'])
  if (extra) return err(extra)
  const title = parseTitle(body.title)
  if (!title.ok) return title
  if (!isLanguage(body.language)) {
    return err(apiError('invalid-field', `language must be one of ${LANGUAGES.join(', ')}`, 'language'))
  }
  if (body.template === undefined) return ok({ title: title.value, language: body.language })
  if (typeof body.template !== 'string' || !templateIds.includes(body.template)) {
    const known = templateIds.length ? `one of ${templateIds.join(', ')}` : 'the id of an installed template (there are none)'
    return err(apiError('invalid-field', `template must be ${known}`, 'template'))
  }
  return ok({ title: title.value, language: body.language, template: body.template })
}

/** Validates the body of `PATCH /api/boards/:id`. */
export function parseRenameBoard(body: unknown): Result<RenameBoardBody, ApiError> {
  if (!isPlainObject(body)) return err(apiError('invalid-json', 'body must be a JSON object'))
  const extra = unknownFields(body, ['title'])
  if (extra) return err(extra)
  const title = parseTitle(body.title)
  if (!title.ok) return title
  return ok({ title: title.value })
}

/** Response of `GET /api/config`: run-time settings the client needs. */
export interface ClientConfig {
  /** tldraw licence key from the server's environment, or null when none is set. */
  tldrawLicenseKey: string | null
  /** The public URL the server is reached at, if configured. */
  publicUrl: string | null
  /** Largest image upload accepted, in bytes. */
  maxAssetBytes: number
  /** Image MIME types accepted for upload. */
  assetMimeTypes: string[]
  /** 'code': creating a board needs the organiser code (BOARD_CREATION_CODE_HEADER), so the form asks for it up front. */
  boardCreation: BoardCreation
}

/** Response of `POST /api/boards/:id/assets`. */
export interface UploadedAsset {
  /** Same-origin URL the image is served at. */
  src: string
}

/** Image types accepted by the asset store. */
export const ASSET_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'] as const
