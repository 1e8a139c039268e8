/**
 * Private mode: while a facilitator has it on, each participant's new shapes
 * live in a document of their own, synced only to the browser holding its
 * secret, until the facilitator reveals them all at once (the server then
 * moves them onto the board). The secret is random per browser and board; the
 * server names the document after its hash, never after the secret.
 */

/** Query parameter of the sync URL carrying the private document's secret. */
export const PRIVATE_PARAM = 'private'
/** `meta` key marking a shape (or binding) that lives in its author's private document. */
export const PRIVATE_META = 'private'
/** Session key: set (to `{ since }`) while private mode is on. */
export const PRIVATE_MODE_KEY = 'privateMode'

export const PRIVATE_SECRET_PATTERN = /^[A-Za-z0-9_-]{22,64}$/

/** Separates a board id from a private document's owner hash in a document name (not in the base64url alphabet). */
const SEPARATOR = '~'

/** The document name of a private document. */
export function privateDocName(boardId: string, owner: string): string {
  return `${boardId}${SEPARATOR}${owner}`
}

/** The board and (for a private document) the owner of a document name. */
export function parseDocName(name: string): { boardId: string; owner?: string } {
  const at = name.indexOf(SEPARATOR)
  return at === -1 ? { boardId: name } : { boardId: name.slice(0, at), owner: name.slice(at + 1) }
}

/** True for a record marked as living in a private document. */
export function isPrivateRecord(record: { meta?: unknown }): boolean {
  const meta = record.meta
  return typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[PRIVATE_META] === true
}
