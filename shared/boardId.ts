/** Board ids: 128 random bits, base64url without padding (22 characters). */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/

/** True when `value` has the shape of a board id (says nothing about whether it exists). */
export function isBoardId(value: unknown): value is string {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value)
}
