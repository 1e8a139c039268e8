/**
 * Typed calls to the server's HTTP API. Failures are values: either the
 * server's `ApiError` (code, field) or a network failure, never a throw.
 */
import { isBoardKey, isRole, ROLES, type BoardKeys, type Role } from '../../../shared/access'
import { BOARD_CREATION_CODE_HEADER, type ApiError, type ApiErrorCode, type BoardAccess, type BoardMeta, type ClientConfig, type UploadedAsset, titleProblem } from '../../../shared/api'
import { isBoardId } from '../../../shared/boardId'
import { isLanguage, type Language } from '../../../shared/languages'
import { err, ok, type Result } from '../../../shared/result'
import { parseTemplatePreview, type TemplatePreview } from '../../../shared/templatePreview'
import type { TemplateSummary, TemplateSummaryTexts } from '../../../shared/templates'
import type { BallotBody, BallotRefusal, MyVotes, StartVoteBody, Vote } from '../../../shared/voting'

/**
 * A failed call: an error the server named, or no answer at all. `problem`
 * says why a title was refused when the client's own check (the shared
 * validator, before anything is sent) found it.
 */
export type CallError = { code: ApiErrorCode | 'network' | 'unknown'; field?: string; problem?: 'characters' }

/** A title the server would refuse for its characters never leaves the browser; the form names the problem. */
function titleRefusal(title: string): Result<never, CallError> | undefined {
  return titleProblem(title) === 'characters' ? err({ code: 'invalid-field', field: 'title', problem: 'characters' }) : undefined
}

const API_ERROR_CODES: readonly string[] = [
  'invalid-json',
  'invalid-field',
  'unauthorized',
  'forbidden',
  'not-found',
  'payload-too-large',
  'unsupported-media-type',
  'storage-unavailable',
  'internal',
  'creation-code-required',
  'creation-code-wrong',
  'too-many-attempts',
  'voter-not-issued',
  'too-many-voters',
  'too-many-boards',
  'too-many-uploads',
  'board-images-full',
] satisfies ApiErrorCode[]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads an `ApiError` body; anything else becomes `unknown` (or the status's usual code). */
export function parseApiError(status: number, body: unknown): CallError {
  const error = isRecord(body) && isRecord(body.error) ? (body.error as Partial<ApiError['error']>) : undefined
  if (error && typeof error.code === 'string' && API_ERROR_CODES.includes(error.code)) {
    return typeof error.field === 'string' ? { code: error.code, field: error.field } : { code: error.code }
  }
  if (status === 401) return { code: 'unauthorized' }
  if (status === 403) return { code: 'forbidden' }
  if (status === 404) return { code: 'not-found' }
  if (status === 413) return { code: 'payload-too-large' }
  if (status === 415) return { code: 'unsupported-media-type' }
  if (status === 429) return { code: 'too-many-attempts' }
  if (status === 503) return { code: 'storage-unavailable' }
  return { code: 'unknown' }
}

/** Narrows one element of `GET /api/boards` (never trust a cast). */
export function parseBoardMeta(value: unknown): BoardMeta | undefined {
  if (!isRecord(value)) return undefined
  const { id, title, language, createdAt, updatedAt } = value
  if (!isBoardId(id) || typeof title !== 'string' || !isLanguage(language)) return undefined
  if (typeof createdAt !== 'number' || typeof updatedAt !== 'number') return undefined
  return { id, title, language, createdAt, updatedAt }
}

/** Narrows a create / read / link-replace answer. */
export function parseBoardAccess(value: unknown): BoardAccess | undefined {
  if (!isRecord(value) || !isRole(value.role) || !isRecord(value.keys)) return undefined
  const board = parseBoardMeta(value.board)
  if (!board) return undefined
  const keys: BoardKeys = {}
  for (const role of ROLES) {
    const key = value.keys[role]
    if (isBoardKey(key)) keys[role] = key
  }
  return { board, role: value.role, keys }
}

function parseSummaryTexts(value: unknown): TemplateSummaryTexts | undefined {
  if (!isRecord(value)) return undefined
  const { name, purpose, timeNeeded, groupSize } = value
  if (typeof name !== 'string' || typeof purpose !== 'string' || typeof timeNeeded !== 'string' || typeof groupSize !== 'string') return undefined
  return { name, purpose, timeNeeded, groupSize }
}

/** A template as the gallery shows it; a malformed preview is left out, not the template. */
export type TemplateListEntry = Omit<TemplateSummary, 'preview'> & { preview: TemplatePreview | undefined }

/** Narrows one element of `GET /api/templates`; entries missing a language are dropped. */
export function parseTemplateSummary(value: unknown): TemplateListEntry | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || !isRecord(value.texts)) return undefined
  const en = parseSummaryTexts(value.texts.en)
  const nl = parseSummaryTexts(value.texts.nl)
  const es = parseSummaryTexts(value.texts.es)
  return en && nl && es ? { id: value.id, texts: { en, nl, es }, preview: parseTemplatePreview(value.preview) } : undefined
}

/** Narrows `GET /api/config`, filling safe defaults for anything missing. */
export function parseClientConfig(value: unknown): ClientConfig {
  const body = isRecord(value) ? value : {}
  return {
    tldrawLicenseKey: typeof body.tldrawLicenseKey === 'string' && body.tldrawLicenseKey ? body.tldrawLicenseKey : null,
    publicUrl: typeof body.publicUrl === 'string' ? body.publicUrl : null,
    maxAssetBytes: typeof body.maxAssetBytes === 'number' && body.maxAssetBytes > 0 ? body.maxAssetBytes : 10 * 1024 * 1024,
    assetMimeTypes: Array.isArray(body.assetMimeTypes)
      ? body.assetMimeTypes.filter((t): t is string => typeof t === 'string')
      : ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'],
    // A server from before organiser codes says nothing: it is open. If it is wrong, the 401 shows the field anyway.
    boardCreation: body.boardCreation === 'code' ? 'code' : 'open',
  }
}

async function call(path: string, init: RequestInit = {}): Promise<Result<unknown, CallError>> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } })
  } catch {
    return err({ code: 'network' })
  }
  let body: unknown = undefined
  if (response.status !== 204) {
    try {
      body = await response.json()
    } catch {
      body = undefined
    }
  }
  if (!response.ok) return err(parseApiError(response.status, body))
  return ok(body)
}

const json = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
})

/** The header that proves which link we came through. */
const withKey = (key: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...init.headers, Authorization: `Bearer ${key}` },
})

function expectBoard(result: Result<unknown, CallError>): Result<BoardMeta, CallError> {
  if (!result.ok) return result
  const board = parseBoardMeta(result.value)
  return board ? ok(board) : err({ code: 'unknown' })
}

function expectAccess(result: Result<unknown, CallError>): Result<BoardAccess, CallError> {
  if (!result.ok) return result
  const access = parseBoardAccess(result.value)
  return access ? ok(access) : err({ code: 'unknown' })
}

export async function fetchConfig(): Promise<Result<ClientConfig, CallError>> {
  const result = await call('/api/config')
  return result.ok ? ok(parseClientConfig(result.value)) : result
}

/** A board as seen through the link whose key is `key`. */
export async function getBoard(id: string, key: string): Promise<Result<BoardAccess, CallError>> {
  if (!isBoardId(id)) return err({ code: 'not-found' })
  return expectAccess(await call(`/api/boards/${id}`, withKey(key)))
}

/** Creates a board, with the organiser code when the server asks for one; the answer carries the keys of its links. */
export async function createBoard(title: string, language: Language, template?: string, creationCode?: string): Promise<Result<BoardAccess, CallError>> {
  const refused = titleRefusal(title)
  if (refused) return refused
  const body = template === undefined ? { title, language } : { title, language, template }
  const request = json(body)
  if (creationCode) request.headers = { ...request.headers, [BOARD_CREATION_CODE_HEADER]: creationCode }
  return expectAccess(await call('/api/boards', { method: 'POST', ...request }))
}

/** Replaces one role's link (facilitators only); its old holders are cut off. */
export async function replaceLink(id: string, key: string, role: Role): Promise<Result<BoardAccess, CallError>> {
  return expectAccess(await call(`/api/boards/${id}/keys/${role}`, withKey(key, { method: 'POST' })))
}

export async function listTemplates(): Promise<Result<TemplateListEntry[], CallError>> {
  const result = await call('/api/templates')
  if (!result.ok) return result
  if (!Array.isArray(result.value)) return err({ code: 'unknown' })
  return ok(result.value.map(parseTemplateSummary).filter((t): t is TemplateListEntry => t !== undefined))
}

/** The unvalidated files of one template from `GET /api/templates/:id`; the caller runs the template validator on them. */
export interface TemplateFiles {
  definition: unknown
  texts: Record<Language, unknown>
}

export async function getTemplateFiles(id: string): Promise<Result<TemplateFiles, CallError>> {
  const result = await call(`/api/templates/${encodeURIComponent(id)}`)
  if (!result.ok) return result
  const body = result.value
  if (!isRecord(body) || !isRecord(body.texts)) return err({ code: 'unknown' })
  return ok({ definition: body.definition, texts: { en: body.texts.en, nl: body.texts.nl, es: body.texts.es } })
}

export async function renameBoard(id: string, key: string, title: string): Promise<Result<BoardMeta, CallError>> {
  const refused = titleRefusal(title)
  if (refused) return refused
  return expectBoard(await call(`/api/boards/${id}`, withKey(key, { method: 'PATCH', ...json({ title }) })))
}

export async function deleteBoard(id: string, key: string): Promise<Result<null, CallError>> {
  const result = await call(`/api/boards/${id}`, withKey(key, { method: 'DELETE' }))
  return result.ok ? ok(null) : result
}

export async function uploadAsset(boardId: string, key: string, file: Blob, signal?: AbortSignal): Promise<Result<UploadedAsset, CallError>> {
  const result = await call(`/api/boards/${boardId}/assets`, {
    method: 'POST',
    body: file,
    headers: { 'Content-Type': file.type, Authorization: `Bearer ${key}` },
    signal,
  })
  if (!result.ok) return result
  const src = isRecord(result.value) ? result.value.src : undefined
  // Only same-origin paths: the page must never load images from elsewhere.
  return typeof src === 'string' && src.startsWith('/') && !src.startsWith('//') ? ok({ src }) : err({ code: 'unknown' })
}

/** Starts a dot vote (facilitators). */
export async function startVote(boardId: string, key: string, body: StartVoteBody): Promise<Result<Vote, CallError>> {
  const result = await call(`/api/boards/${boardId}/votes`, withKey(key, { method: 'POST', ...json(body) }))
  return result.ok ? ok(result.value as Vote) : result
}

/** Closes or reveals a vote (facilitators). */
export async function finishVote(boardId: string, key: string, voteId: string, action: 'close' | 'reveal'): Promise<Result<Vote, CallError>> {
  const result = await call(`/api/boards/${boardId}/votes/${encodeURIComponent(voteId)}/${action}`, withKey(key, { method: 'POST' }))
  return result.ok ? ok(result.value as Vote) : result
}

function parseMyVotes(value: unknown): MyVotes | undefined {
  if (!isRecord(value) || typeof value.voteId !== 'string' || !isRecord(value.mine) || typeof value.remaining !== 'number') return undefined
  const mine: Record<string, number> = {}
  for (const [id, n] of Object.entries(value.mine)) if (typeof n === 'number') mine[id] = n
  return { voteId: value.voteId, mine, remaining: value.remaining }
}

/** Casts (or takes back) one vote; a refused ballot answers with the reason and the voter's votes as they are. */
export async function castBallot(
  boardId: string,
  key: string,
  voteId: string,
  body: BallotBody,
): Promise<Result<MyVotes, CallError & { refusal?: BallotRefusal; votes?: MyVotes }>> {
  let response: Response
  try {
    response = await fetch(`/api/boards/${boardId}/votes/${encodeURIComponent(voteId)}/ballots`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    })
  } catch {
    return err({ code: 'network' })
  }
  const value: unknown = await response.json().catch(() => undefined)
  const votes = parseMyVotes(value)
  if (response.ok && votes) return ok(votes)
  const refusal = isRecord(value) && typeof value.refusal === 'string' ? (value.refusal as BallotRefusal) : undefined
  return err({ ...parseApiError(response.status, value), refusal, votes })
}

/** The voter id the server issues to the browser holding `secret` on this board (the same one every time). */
export async function fetchVoterId(boardId: string, key: string, secret: string): Promise<Result<string, CallError>> {
  const result = await call(`/api/boards/${boardId}/voter`, withKey(key, { method: 'POST', ...json({ secret }) }))
  if (!result.ok) return result
  return isRecord(result.value) && typeof result.value.voter === 'string' ? ok(result.value.voter) : err({ code: 'unknown' })
}

/** This voter's own votes in a vote. */
export async function fetchMyVotes(boardId: string, key: string, voteId: string, voter: string): Promise<Result<MyVotes, CallError>> {
  const result = await call(`/api/boards/${boardId}/votes/${encodeURIComponent(voteId)}/mine`, withKey(key, { method: 'POST', ...json({ voter }) }))
  if (!result.ok) return result
  const votes = parseMyVotes(result.value)
  return votes ? ok(votes) : err({ code: 'unknown' })
}

/** Reveals every participant's private notes and ends private mode (facilitators). */
export async function revealPrivateNotes(boardId: string, key: string): Promise<Result<{ revealed: number; people: number }, CallError>> {
  const result = await call(`/api/boards/${boardId}/private/reveal`, withKey(key, { method: 'POST' }))
  if (!result.ok) return result
  const value = result.value
  return isRecord(value) && typeof value.revealed === 'number' && typeof value.people === 'number'
    ? ok({ revealed: value.revealed, people: value.people })
    : err({ code: 'unknown' })
}
