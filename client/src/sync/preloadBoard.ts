/**
 * A newcomer's first open of a board: the whole board comes compressed over
 * HTTP (GET /api/boards/:id/document) before the websocket connects, so the
 * websocket sync only exchanges the small difference. The websocket itself is
 * uncompressed (see bench/findings.md), and on a 1 Mbit/s line a big board is
 * 4-6 times quicker this way.
 *
 * Only an optimisation: whatever goes wrong, the caller connects the websocket
 * as before, and its sync sends everything.
 */
import * as Y from 'yjs'

/** Origin of the transaction that applies the preloaded board: not a local edit, never pending. */
export const PRELOAD_ORIGIN = Symbol('preload')

/** A big board on a slow line takes a while; past this, the websocket is the better bet. */
export const PRELOAD_TIMEOUT_MS = 15_000

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/** True when this browser holds nothing of the board (never had it, or IndexedDB lost it). */
export function isEmptyDocument(doc: Y.Doc): boolean {
  const stateVector = Y.encodeStateVector(doc)
  return stateVector.length === EMPTY_STATE_VECTOR.length && stateVector.every((byte, i) => byte === EMPTY_STATE_VECTOR[i])
}

/** Whether to fetch the board over HTTP first: only into an empty document, and only online. */
export function shouldPreload(doc: Y.Doc, online: boolean): boolean {
  return online && isEmptyDocument(doc)
}

export interface PreloadOptions {
  fetch?: typeof fetch
  timeoutMs?: number
}

/**
 * Fetches the board with the link's key and applies it to `doc`. Resolves to
 * whether it did; never rejects (a failure leaves `doc` for the websocket).
 */
export async function preloadBoard(doc: Y.Doc, boardId: string, key: string, options: PreloadOptions = {}): Promise<boolean> {
  const { fetch: fetchFn = globalThis.fetch, timeoutMs = PRELOAD_TIMEOUT_MS } = options
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    // The browser asks for br/gzip and decompresses on its own.
    const response = await fetchFn(`/api/boards/${encodeURIComponent(boardId)}/document`, {
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/octet-stream' },
      cache: 'no-store',
      signal: controller.signal,
    })
    // Anything but the document itself (an error, a proxy's HTML page) is not applied.
    if (!response.ok || response.headers.get('Content-Type') !== 'application/octet-stream') return false
    const update = new Uint8Array(await response.arrayBuffer())
    // Another source (IndexedDB, late) may have filled the document meanwhile: still fine to
    // apply, Yjs merges; but an empty answer would be no board at all.
    if (update.byteLength === 0) return false
    Y.applyUpdate(doc, update, PRELOAD_ORIGIN)
    return true
  } catch {
    // Offline after all, timed out, or bytes Yjs could not read.
    return false
  } finally {
    clearTimeout(timer)
  }
}
