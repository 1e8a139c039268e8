/**
 * Deletes images nobody uses any more. An uploaded image lives in storage,
 * the board's document only holds its URL (`/api/assets/<id>`) in a tldraw
 * asset record. When the image is deleted from the board the record goes,
 * the bytes stay; and a script can upload images that no record ever names.
 *
 * An image is deleted when it was uploaded more than `graceMs` ago (default
 * 24 h: undo, a reload's redo and a browser that was offline can still bring
 * the record back within a working day) and no record of the board's
 * document nor of any of its private documents refers to it. The documents
 * are read through the room manager, so an open board is read as it is in
 * memory, edits not yet stored included.
 *
 * It runs on a timer, a few boards at a time, and only looks at boards that
 * have an old enough image and changed since their last check (or whose
 * images only now became old enough): an untouched board is read once.
 * Whatever cannot be read (a board that fails to load, the server stopping)
 * is left alone: a missed deletion is retried, a wrong one cannot be undone.
 *
 * Not covered: an image copied onto another board keeps pointing at the first
 * board's image (tldraw pastes the URL); deleting it there breaks the copy,
 * as deleting the first board always did.
 */
import type * as Y from 'yjs'
import { getRecordsMap } from '../../../shared/documentLayout'
import { parseDocName, privateDocName } from '../../../shared/privateMode'
import type { Logger } from '../log'
import type { Storage } from '../storage/Storage'

/** Image URLs as the upload route hands them out. */
const ASSET_URL = /\/api\/assets\/([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/g

/** Longest pause between two sweeps. */
export const MAX_SWEEP_INTERVAL_MS = 60 * 60_000
/** Boards read per sweep at most (each may be loaded from disk for it). */
export const BOARDS_PER_SWEEP = 20

/** Ids of every image a document's records refer to (any `src` in any record's props, to be safe). */
export function referencedAssetIds(doc: Y.Doc): Set<string> {
  const ids = new Set<string>()
  for (const record of getRecordsMap(doc).values()) {
    const props = record.get('props') as { get?: (key: string) => unknown } | undefined
    const src = typeof props?.get === 'function' ? props.get('src') : undefined
    if (typeof src !== 'string') continue
    for (const match of src.matchAll(ASSET_URL)) ids.add(match[1])
  }
  return ids
}

export interface UnusedImagesDeps {
  storage: Storage
  rooms: {
    readBoard<T>(docName: string, read: (doc: Y.Doc) => T): Promise<T | undefined>
    loadedDocuments(): string[]
  }
  graceMs: number
  log: Logger
  now?: () => number
  boardsPerSweep?: number
}

export interface UnusedImageSweeper {
  /** One sweep; resolves to the number of images deleted. */
  sweep(): Promise<number>
  /** Sweeps every `intervalMs` (default: a quarter of the grace period, at most an hour). */
  start(intervalMs?: number): void
  /** No more sweeps; resolves once one in progress has finished. */
  stop(): Promise<void>
}

export function createUnusedImageSweeper({ storage, rooms, graceMs, log, now = Date.now, boardsPerSweep = BOARDS_PER_SWEEP }: UnusedImagesDeps): UnusedImageSweeper {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let running: Promise<number> | undefined

  /** Removes from `candidates` what the document `docName` refers to; false when it could not be read. */
  async function dropReferenced(docName: string, candidates: Set<string>): Promise<boolean> {
    const referenced = await rooms.readBoard(docName, referencedAssetIds)
    if (referenced === undefined) return false
    for (const id of referenced) candidates.delete(id)
    return true
  }

  async function sweepBoard(boardId: string, time: number): Promise<number> {
    const candidates = new Set(await storage.assetIdsBefore(boardId, time - graceMs))
    if (candidates.size > 0) {
      if (!(await dropReferenced(boardId, candidates))) return 0
      if (candidates.size > 0) {
        // Private mode: a participant's pasted image sits in their private document until the reveal.
        const owners = new Set(await storage.privateOwners(boardId))
        for (const name of rooms.loadedDocuments()) {
          const parsed = parseDocName(name)
          if (parsed.boardId === boardId && parsed.owner) owners.add(parsed.owner)
        }
        for (const owner of owners) {
          if (candidates.size === 0) break
          if (!(await dropReferenced(privateDocName(boardId, owner), candidates))) return 0
        }
      }
    }
    const deleted = candidates.size > 0 ? await storage.deleteAssets(boardId, Array.from(candidates)) : 0
    await storage.markAssetsChecked(boardId, time)
    if (deleted > 0) log.info('deleted unused images', { boardId, deleted })
    return deleted
  }

  async function sweep(): Promise<number> {
    const time = now()
    let deleted = 0
    for (const boardId of await storage.boardsWithAssetsToCheck(time - graceMs, graceMs, boardsPerSweep)) {
      if (stopped) break
      try {
        deleted += await sweepBoard(boardId, time)
      } catch (error) {
        log.warn('unused image clean-up failed for a board; it is tried again later', { boardId, error })
      }
    }
    return deleted
  }

  const schedule = (intervalMs: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      running = sweep()
        .catch((error: unknown) => {
          log.warn('unused image clean-up failed; it is tried again later', { error })
          return 0
        })
        .finally(() => {
          running = undefined
          schedule(intervalMs)
        })
    }, intervalMs)
    timer.unref()
  }

  return {
    sweep: () => (running ??= sweep().finally(() => (running = undefined))),
    start(intervalMs = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(50, Math.floor(graceMs / 4)))) {
      stopped = false
      schedule(intervalMs)
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running?.catch(() => 0)
    },
  }
}
