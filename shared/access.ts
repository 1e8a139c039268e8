/**
 * Roles and the links that grant them. No accounts: a board is reached only
 * through one of its links, and each link carries a secret key (128 random
 * bits) that names a role on that board. The key travels in the page URL's
 * fragment (never sent to the server with the page, never in a Referer), then
 * in the websocket URL (`?key=`) and HTTP `Authorization: Bearer <key>`.
 */

/**
 * Who someone is on a board, from most to least powerful. An interpreter
 * may do what a participant may, and also keep the board's glossary.
 */
export const ROLES = ['facilitator', 'interpreter', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** True when `role` may do what `needed` may. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(needed)
}

/** May change the board's content (notes, shapes ...). */
export function canEditContent(role: Role): boolean {
  return hasRole(role, 'participant')
}

/** Board keys: 128+ random bits, base64url (new keys) or hex (keys made by a database migration). */
export const BOARD_KEY_PATTERN = /^[A-Za-z0-9_-]{22,64}$/

export function isBoardKey(value: unknown): value is string {
  return typeof value === 'string' && BOARD_KEY_PATTERN.test(value)
}

/** Query parameter of the sync URL that carries the key. */
export const KEY_PARAM = 'key'
/** Name of the key in a board link's fragment: `/b/<boardId>#key=<key>`. */
export const LINK_FRAGMENT_KEY = 'key'

/** A board's keys by role (only those the asker may share). */
export type BoardKeys = Partial<Record<Role, string>>

/** The page path and fragment of a board link; prefix with the server's origin. */
export function boardLinkPath(boardId: string, key: string): string {
  return `/b/${boardId}#${LINK_FRAGMENT_KEY}=${key}`
}

/** The key in a board link's fragment (`#key=...`), if there is a well-formed one. */
export function keyFromFragment(hash: string): string | undefined {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get(LINK_FRAGMENT_KEY)
  return isBoardKey(key) ? key : undefined
}

/** The keys a holder of `role` may see and share: their own role's and every lesser one's. */
export function shareableRoles(role: Role): Role[] {
  return ROLES.filter((other) => hasRole(role, other))
}
