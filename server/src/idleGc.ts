/**
 * One full garbage collection when the server has just become idle (its last
 * board unloaded, nobody connected).
 *
 * Why: V8 collects when JavaScript allocates. A server whose rooms all emptied
 * allocates next to nothing, so everything those rooms held (Y.Docs, awareness,
 * frames, ws buffers: ~130 MB for 500 rooms x 5 clients) stays in the old
 * generation until V8's memory reducer gets round to it; measured
 * (server/scripts/idleMemory.ts) RSS was still 289 MB 3 s after the last room
 * unloaded and fell to 120 MB only somewhere within the next 45 s. Nothing
 * leaks: a forced full GC brings the heap back to its start-up size. At that
 * moment no room is loaded, so the pause (tens of ms) delays nobody.
 *
 * Node has no public API for "collect now" without --expose-gc on the command
 * line; setting the flag at run time and taking `gc` from a fresh context is
 * the documented pattern (v8.setFlagsFromString). If that ever fails the
 * server simply behaves as before.
 *
 * The young generation is the other part: V8 grows it to 32 MB under load and
 * shrinks it only in a collection that sees a low allocation rate over the last
 * ~5 s, which the collections right at the unload never do (the rooms were busy
 * until then). Left alone, V8's memory reducer got round to it ~30 s later
 * (server/scripts/idleMemory.ts --series: RSS 164 MB until +30 s, then 129 MB,
 * start-up 125 MB). So a quiet process collects once more a few seconds later.
 */
import { createRequire } from 'node:module'
import v8 from 'node:v8'
import vm from 'node:vm'

type Gc = () => void

let gc: Gc | null | undefined

function gcFunction(): Gc | null {
  if (gc !== undefined) return gc
  try {
    if (typeof globalThis.gc === 'function') return (gc = globalThis.gc as Gc)
    v8.setFlagsFromString('--expose-gc')
    const fn: unknown = vm.runInNewContext('gc')
    gc = typeof fn === 'function' ? (fn as Gc) : null
  } catch {
    gc = null
  }
  return gc
}

/** Runs a full GC (two passes, see below); false when this runtime offers no way to. */
export function collectGarbageNow(): boolean {
  const fn = gcFunction()
  if (!fn) return false
  fn()
  // The first collection leaves old-space pages it freed still committed (swept
  // concurrently, fragmented); the second releases them: measured on 500 emptied
  // rooms, old space 61.7 MB after one, 18.2 MB after two, and the process back
  // within 8% of its start-up RSS instead of +38%.
  fn()
  return true
}

/**
 * What V8 frees goes back to malloc, and glibc returns to the kernel only the
 * top of its heap. Frames queued for slow readers at the peak leave free pages
 * scattered under live allocations, so RSS stayed +11-21% above start-up after
 * 500 rooms emptied. malloc_trim(0) hands every whole free page back
 * (server/native/malloc-trim, built at install; optional, so a machine
 * without a compiler or without glibc simply skips it). Measured on that run:
 * [heap] 46 -> 27 MB, RSS 140 -> 117 MB against 122 MB at start-up.
 */
type Trim = () => boolean | null
let trim: Trim | null | undefined

function trimFunction(): Trim | null {
  if (trim !== undefined) return trim
  try {
    const addon = createRequire(import.meta.url)('@workshop-whiteboard/malloc-trim') as { trim?: unknown }
    trim = typeof addon.trim === 'function' ? (addon.trim as Trim) : null
  } catch {
    trim = null
  }
  return trim
}

export type TrimOutcome = 'released' | 'nothing-free' | 'unavailable'

/** Hands malloc's free pages back to the system (glibc); 'unavailable' where the addon is not built or the C library lacks it. */
export function returnFreedMemory(): TrimOutcome {
  const fn = trimFunction()
  const outcome = fn ? fn() : null
  return outcome === null ? 'unavailable' : outcome ? 'released' : 'nothing-free'
}

/** How long after becoming idle the young generation is shrunk (V8 judges the allocation rate over ~5 s). */
export const SETTLE_COLLECTION_MS = 6_000

export interface IdleCollector {
  /** The process has just become idle: collect now, and once more after SETTLE_COLLECTION_MS if it still is. */
  becameIdle(): void
  stop(): void
}

export function createIdleCollector(
  stillIdle: () => boolean,
  onCollected: (phase: 'at-idle' | 'settled', ms: number, trimmed: TrimOutcome) => void = () => {},
  settleMs = SETTLE_COLLECTION_MS,
): IdleCollector {
  let timer: ReturnType<typeof setTimeout> | undefined
  const collect = (phase: 'at-idle' | 'settled') => {
    const started = performance.now()
    const collected = collectGarbageNow()
    // After the collection: that is when the buffers V8 held are handed back to malloc.
    const trimmed = returnFreedMemory()
    if (collected || trimmed !== 'unavailable') onCollected(phase, Math.round(performance.now() - started), trimmed)
  }
  return {
    becameIdle() {
      collect('at-idle')
      clearTimeout(timer)
      timer = setTimeout(() => {
        timer = undefined
        if (stillIdle()) collect('settled')
      }, settleMs)
      timer.unref?.()
    },
    stop() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
