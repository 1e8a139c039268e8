/**
 * The last board list seen in this browser, shown at once while the fresh one
 * loads (slow links). Renames and deletions update it as their request leaves,
 * so a reload racing the request never shows the old state; the next fetch
 * corrects anything that then failed.
 */
import type { BoardMeta } from '../../../shared/api'
import { parseBoardMeta } from '../api/http'

const LIST_CACHE_KEY = 'ww.boards'

/** The cached list, or undefined when there is none (or it is unreadable). */
export function cachedList(): BoardMeta[] | undefined {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(LIST_CACHE_KEY) ?? 'null')
    if (!Array.isArray(raw)) return undefined
    return raw.map(parseBoardMeta).filter((b): b is BoardMeta => b !== undefined)
  } catch {
    return undefined
  }
}

/** Replaces the cached list. */
export function cacheList(boards: BoardMeta[]): void {
  try {
    localStorage.setItem(LIST_CACHE_KEY, JSON.stringify(boards))
  } catch {
    // Only the instant first paint is lost.
  }
}

/** Applies `change` to the cached list, if there is one. */
export function updateCachedList(change: (boards: BoardMeta[]) => BoardMeta[]): void {
  const boards = cachedList()
  if (boards) cacheList(change(boards))
}
