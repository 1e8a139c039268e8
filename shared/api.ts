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
  | 'too-many-boards'
  | 'too-many-uploads'
  | 'board-images-full'

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

/**
 * Emoji tag sequences (the flags of England, Scotland, Wales: a black flag,
 * tag letters, a cancel tag) are the one legitimate use of the invisible tag
 * characters; they are taken out before the check below.
 */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu

/**
 * Characters a board title may not contain: control characters (C0, DEL, C1:
 * newlines and tabs included, a title is one line), lone surrogates, line and
 * paragraph separators, and invisible formatting characters (Unicode `Cf`:
 * bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
 * zero-width space, word joiner, BOM, soft hyphen, tags…) plus the Hangul
 * fillers that render as blank letters. A title is shown in lists, tabs and
 * share dialogs: a right-to-left override there makes `gpj.exe` read as
 * `exe.jpg`, and invisible characters make two boards look the same.
 * Allowed `Cf`: ZWNJ and ZWJ (U+200C, U+200D: emoji sequences, Persian and
 * Indic scripts) and the directional marks LRM, RLM and ALM (U+200E, U+200F,
 * U+061C: needed in right-to-left text, and they override nothing).
 */
const FORBIDDEN_TITLE_CHARACTER = /(?![\u200C-\u200F\u061C])[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/u

/** Why a title is refused, or undefined when it is fine (also for the client's form, before it sends). */
export function titleProblem(value: string): 'empty' | 'too-long' | 'characters' | undefined {
  const title = value.trim()
  if (title.length === 0) return 'empty'
  if (title.length > MAX_TITLE_LENGTH) return 'too-long'
  if (FORBIDDEN_TITLE_CHARACTER.test(title.replace(EMOJI_TAG_SEQUENCE, ''))) return 'characters'
  return undefined
}

function parseTitle(value: unknown): Result<string, ApiError> {
  if (typeof value !== 'string') return err(apiError('invalid-field', 'title must be a string', 'title'))
  switch (titleProblem(value)) {
    case 'empty':
      return err(apiError('invalid-field', 'title must not be empty', 'title'))
    case 'too-long':
      return err(apiError('invalid-field', `title must be at most ${MAX_TITLE_LENGTH} characters`, 'title'))
    case 'characters':
      return err(apiError('invalid-field', 'title must not contain control characters, bidirectional overrides or invisible formatting characters', 'title'))
  }
  return ok(value.trim())
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
