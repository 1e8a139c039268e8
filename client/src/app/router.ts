/**
 * A tiny history router (two routes do not need a package): the current path
 * as React state, and `navigate` to change it without reloading.
 */
import { useSyncExternalStore } from 'react'
import { isBoardId } from '../../../shared/boardId'

const NAVIGATE_EVENT = 'ww:navigate'

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE_EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE_EVENT, onChange)
  }
}

/** The current location path, re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname)
}

/** Goes to `path` within the app (pushes a history entry). */
export function navigate(path: string): void {
  if (path === location.pathname) return
  history.pushState(null, '', path)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

/** The pages the app knows. */
export type Route = { page: 'home' } | { page: 'board'; boardId: string } | { page: 'not-found' }

/** Maps a path to a page: `/` and `/b/<boardId>`, everything else is not found. */
export function matchRoute(path: string): Route {
  if (path === '/' || path === '/index.html') return { page: 'home' }
  const match = /^\/b\/([^/]+)\/?$/.exec(path)
  if (match) {
    const boardId = decodeURIComponent(match[1])
    return isBoardId(boardId) ? { page: 'board', boardId } : { page: 'not-found' }
  }
  return { page: 'not-found' }
}

/** The path of a board page. */
export const boardPath = (boardId: string): string => `/b/${boardId}`
