/**
 * Facilitator-only session state, kept in the board document's `session` map
 * (SESSION_KEY in documentLayout.ts): only facilitators may change it, the
 * server undoes anyone else's change. Each entry is one JSON value under its
 * own key, so setting the timer and starting a summon never conflict. Readers
 * validate: a value written by a newer client, or garbage, reads as absent.
 * Times are in SERVER time (milliseconds since the epoch): every browser
 * converts with its own measured offset (clock.ts), so a countdown ends at the
 * same moment everywhere whatever the browsers' clocks say.
 */

/** Keys of the session map. */
export const SessionKeys = {
  timer: 'timer',
  summon: 'summon',
  presenter: 'presenter',
  spotlight: 'spotlight',
  handsClearedAt: 'handsClearedAt',
  /** Dot votes (shared/voting.ts), written by the server only. */
  votes: 'votes',
  viewerPresence: 'viewerPresence',
  /** Written by the server when it found the board damaged (see RepairNotice); a facilitator dismisses it. */
  repaired: 'repaired',
} as const

/**
 * The board was damaged and the server opened what it could: `records`
 * unreadable records removed, `updates` stored changes that could not be
 * applied (the server log keeps both). Shown to facilitators until one dismisses it.
 */
export interface RepairNotice {
  /** Server time of the (latest) repair. */
  at: number
  records: number
  updates: number
}

/** The countdown. Running while `endsAt` is set; paused (or not started) otherwise. */
export interface TimerState {
  /** What it was set to (reset goes back to this). */
  durationMs: number
  /** Server time it reaches zero; null while paused or not started. */
  endsAt: number | null
  /** Left while paused; equals durationMs before the first start. */
  remainingMs: number
}

/** "Bring everyone to me": the viewport to go to. `id` changes with each summon. */
export interface Summon {
  id: string
  /** Server time of the summon; a summon older than SUMMON_FRESH_MS is not acted on (late joiners stay put). */
  at: number
  pageId: string
  /** Page coordinates of the viewport's centre, and the zoom. */
  x: number
  y: number
  z: number
  /** Name of the facilitator who summoned. */
  by: string
}

/** "Follow me": participants' viewports follow this person until they choose to leave. */
export interface Presenter {
  userId: string
  name: string
  since: number
}

/** One frame highlighted for everyone. */
export interface Spotlight {
  shapeId: string
}

export const SUMMON_FRESH_MS = 60_000
export const MAX_TIMER_MS = 24 * 60 * 60 * 1000

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0
const isDuration = (v: unknown): v is number => isTime(v) && v <= MAX_TIMER_MS

export function parseTimer(value: unknown): TimerState | undefined {
  if (!isRecord(value) || !isDuration(value.durationMs) || !isDuration(value.remainingMs)) return undefined
  if (value.endsAt !== null && !isTime(value.endsAt)) return undefined
  return { durationMs: value.durationMs, endsAt: value.endsAt as number | null, remainingMs: value.remainingMs }
}

export function parseSummon(value: unknown): Summon | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || !isTime(value.at) || typeof value.pageId !== 'string') return undefined
  const { x, y, z } = value
  if (typeof x !== 'number' || typeof y !== 'number' || typeof z !== 'number' || !Number.isFinite(x + y + z) || z <= 0) return undefined
  return { id: value.id, at: value.at, pageId: value.pageId, x, y, z, by: typeof value.by === 'string' ? value.by : '' }
}

export function parsePresenter(value: unknown): Presenter | undefined {
  if (!isRecord(value) || typeof value.userId !== 'string' || typeof value.name !== 'string' || !isTime(value.since)) return undefined
  return { userId: value.userId, name: value.name, since: value.since }
}

export function parseRepairNotice(value: unknown): RepairNotice | undefined {
  if (!isRecord(value) || !isTime(value.at)) return undefined
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0)
  return { at: value.at, records: count(value.records), updates: count(value.updates) }
}

export function parseSpotlight(value: unknown): Spotlight | undefined {
  return isRecord(value) && typeof value.shapeId === 'string' && value.shapeId.startsWith('shape:') ? { shapeId: value.shapeId } : undefined
}

// ---------------------------------------------------------------------------
// Timer transitions (pure: `now` is server time)

/** A stopped timer of `durationMs` (clamped to 0 .. 24 h). */
export function setTimer(durationMs: number): TimerState {
  const d = Math.max(0, Math.min(MAX_TIMER_MS, Math.round(durationMs)))
  return { durationMs: d, endsAt: null, remainingMs: d }
}

/**
 * Time left at `now`: never negative, and never more than the running stretch
 * started with (`remainingMs`), so a browser whose clock estimate is a
 * millisecond behind the starter's does not show 10:01 for a 10-minute timer.
 */
export function timerRemaining(timer: TimerState, now: number): number {
  return timer.endsAt === null ? timer.remainingMs : Math.min(timer.remainingMs, Math.max(0, timer.endsAt - now))
}

export function isRunning(timer: TimerState): boolean {
  return timer.endsAt !== null
}

/** Starts (or resumes) counting down from what is left; a timer at zero starts again from its duration. */
export function startTimer(timer: TimerState, now: number): TimerState {
  if (isRunning(timer)) return timer
  const left = timer.remainingMs > 0 ? timer.remainingMs : timer.durationMs
  return { ...timer, endsAt: now + left, remainingMs: left }
}

export function pauseTimer(timer: TimerState, now: number): TimerState {
  if (!isRunning(timer)) return timer
  return { ...timer, endsAt: null, remainingMs: timerRemaining(timer, now) }
}

/** One more minute, running or not (a timer that already ended runs again for that minute). */
export function addMinute(timer: TimerState, now: number): TimerState {
  const MINUTE = 60_000
  if (isRunning(timer)) {
    const left = Math.min(MAX_TIMER_MS, timerRemaining(timer, now) + MINUTE)
    return { ...timer, endsAt: now + left, remainingMs: left }
  }
  return { ...timer, remainingMs: Math.min(MAX_TIMER_MS, timer.remainingMs + MINUTE) }
}

export function resetTimer(timer: TimerState): TimerState {
  return setTimer(timer.durationMs)
}
