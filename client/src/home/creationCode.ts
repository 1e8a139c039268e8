/**
 * The organiser code this browser used to create a board, when the server
 * asks for one (BOARD_CREATION_CODE): remembered after a board was created
 * with it, so an organiser types it once per browser; forgotten when the
 * server calls it wrong (it was changed).
 */
const STORAGE_KEY = 'ww.creationCode'

export function rememberedCreationCode(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? ''
  } catch {
    return ''
  }
}

export function rememberCreationCode(code: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, code)
  } catch {
    // Private mode or a full quota: the organiser types it again next time.
  }
}

export function forgetCreationCode(): void {
  try {
    localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Nothing was stored then.
  }
}

/**
 * Whether `code` can be sent at all: it travels in an HTTP header, where a
 * browser refuses anything but printable ASCII, and the server only accepts
 * such codes (server/src/config.ts). Anything else cannot be the code.
 */
export function isSendableCode(code: string): boolean {
  return /^[\x20-\x7e]+$/.test(code)
}
