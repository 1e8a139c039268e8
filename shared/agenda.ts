/**
 * The agenda of a digital dialogue (issue 6): ordered steps the core group
 * prepares before the session, and the facilitator advances during it. Kept
 * in the board's facilitator-only session state. Times are server time; each
 * browser shows them in its person's own time zone.
 *
 * Layout in the session map, one JSON value per key so concurrent edits merge
 * like the rest of the board (the core group prepares together, often one of
 * them offline):
 *
 *   agenda.step.<id>  { id, title, minutes, instructions, frameId, mode, position }
 *   agenda.plan       { startsAt }           the planned start
 *   agenda.run        { stepId, since }      the running step (by id) and since when
 *
 * Steps are ordered by `position` (a fractional index, as tldraw orders
 * shapes), then by id, so two steps added at the same moment on two sides
 * both stay, in the same order on every screen. Two edits of the same step
 * stay last-writer-wins for that step. Boards from before this layout hold
 * the whole agenda as one value under `agenda` (AGENDA_KEY); it is read
 * while no key of the new layout exists and converted by the first
 * facilitator's change (convertLegacyAgenda).
 */
import { getIndexAbove, getIndexBetween, type IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import { getSessionMap, jsonEqual } from './documentLayout'
import { LANGUAGES, type Language } from './languages'

/** The key of the whole agenda as one value, on boards from before the per-step layout. */
export const AGENDA_KEY = 'agenda'
export const AGENDA_STEP_PREFIX = 'agenda.step.'
export const AGENDA_PLAN_KEY = 'agenda.plan'
export const AGENDA_RUN_KEY = 'agenda.run'
export const MAX_AGENDA_STEPS = 50

export interface AgendaStep {
  id: string
  title: string
  minutes: number
  /** What to do, per language (the core group writes what it can; interpreters help). */
  instructions: Partial<Record<Language, string>>
  /** The frame the step happens in; in a breakout step each group goes to its own copy. */
  frameId: string | null
  mode: 'plenary' | 'breakout'
  /** Where the step sorts (fractional index); ties are broken by id. */
  position: string
}

export interface Agenda {
  /** Planned start of the first step (server time); null when not planned. */
  startsAt: number | null
  steps: AgendaStep[]
  /** Index of the running step; null before the start and after the end. */
  current: number | null
  /** When the running step began (server time). */
  currentSince: number | null
}

export const EMPTY_AGENDA: Agenda = { startsAt: null, steps: [], current: null, currentSince: null }

/** Session-map key -> new JSON value (undefined deletes the key): what one agenda change writes. */
export type AgendaWrites = Record<string, unknown>

/** The fields of a step a facilitator edits. */
export type StepFields = Omit<AgendaStep, 'id' | 'position'>

export function stepKey(id: string): string {
  return AGENDA_STEP_PREFIX + id
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * True for a fractional index key that getIndexBetween accepts: base-62
 * digits, an integer part as long as its first letter says, no trailing
 * zero after it (the rules of tldraw's own check, which it does not export).
 */
export function isValidPosition(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z][0-9A-Za-z]*$/.test(value)) return false
  const head = value.charCodeAt(0)
  const integerLength = head >= 97 ? head - 97 + 2 : 90 - head + 2
  if (value.length < integerLength || value === 'A' + '0'.repeat(26)) return false
  return value.length === integerLength || !value.endsWith('0')
}

/** A step's fields as the UI may trust them: unknown languages dropped, minutes within a day. Null when not a step. */
function parseStepFields(raw: unknown): (StepFields & { id: string }) | null {
  if (!isRecord(raw) || typeof raw.id !== 'string' || !raw.id || typeof raw.title !== 'string') return null
  const instructions: Partial<Record<Language, string>> = {}
  if (isRecord(raw.instructions)) for (const l of LANGUAGES) if (typeof raw.instructions[l] === 'string' && raw.instructions[l]) instructions[l] = raw.instructions[l] as string
  const minutes = typeof raw.minutes === 'number' && Number.isFinite(raw.minutes) ? Math.max(0, Math.min(24 * 60, raw.minutes)) : 0
  return { id: raw.id, title: raw.title, minutes, instructions, frameId: typeof raw.frameId === 'string' ? raw.frameId : null, mode: raw.mode === 'breakout' ? 'breakout' : 'plenary' }
}

/** Step `id` as stored under its key; null unless well formed and the value's id is the key's. */
export function parseStep(id: string, value: unknown): AgendaStep | null {
  const fields = parseStepFields(value)
  if (!fields || fields.id !== id || !isRecord(value) || !isValidPosition(value.position)) return null
  return { ...fields, position: value.position }
}

const BASE_62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The position of the legacy agenda's `i`th step: a1, a2 ... az (enough for
 * MAX_AGENDA_STEPS). Not getIndexAbove, which jitters its keys outside tests:
 * two browsers converting the same legacy agenda must write the same values.
 */
export function legacyPosition(i: number): string {
  return 'a' + BASE_62[i + 1]
}

/** Reads the agenda of a board from before the per-step layout (one value under AGENDA_KEY). */
export function parseLegacyAgenda(value: unknown): Agenda {
  if (!isRecord(value) || !Array.isArray(value.steps)) return EMPTY_AGENDA
  const seen = new Set<string>()
  const steps = value.steps.slice(0, MAX_AGENDA_STEPS).flatMap((raw, i): AgendaStep[] => {
    const fields = parseStepFields(raw)
    // A repeated id could only be kept once under its key: the first one stays.
    if (!fields || seen.has(fields.id)) return []
    seen.add(fields.id)
    return [{ ...fields, position: legacyPosition(i) }]
  })
  const current = typeof value.current === 'number' && Number.isInteger(value.current) && value.current >= 0 && value.current < steps.length ? value.current : null
  return {
    startsAt: typeof value.startsAt === 'number' && Number.isFinite(value.startsAt) ? value.startsAt : null,
    steps,
    current,
    currentSince: current !== null && typeof value.currentSince === 'number' ? value.currentSince : null,
  }
}

function bySortOrder(a: AgendaStep, b: AgendaStep): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** True once any key of the per-step layout exists; from then on the legacy value is ignored. */
function hasPerStepLayout(session: { keys(): Iterable<string> }): boolean {
  for (const key of session.keys()) if (key.startsWith(AGENDA_STEP_PREFIX) || key === AGENDA_PLAN_KEY || key === AGENDA_RUN_KEY) return true
  return false
}

/**
 * The agenda in the session map (a Y.Map, or any map of its entries): the
 * steps in order, capped at MAX_AGENDA_STEPS, with the running step's index.
 * Entries a misbehaving client wrote badly are skipped.
 */
export function readAgenda(session: { get(key: string): unknown; keys(): Iterable<string> }): Agenda {
  if (!hasPerStepLayout(session)) return parseLegacyAgenda(session.get(AGENDA_KEY))
  const steps: AgendaStep[] = []
  for (const key of session.keys()) {
    if (!key.startsWith(AGENDA_STEP_PREFIX)) continue
    const step = parseStep(key.slice(AGENDA_STEP_PREFIX.length), session.get(key))
    if (step) steps.push(step)
  }
  steps.sort(bySortOrder)
  steps.splice(MAX_AGENDA_STEPS)
  const plan = session.get(AGENDA_PLAN_KEY)
  const run = session.get(AGENDA_RUN_KEY)
  const startsAt = isRecord(plan) && typeof plan.startsAt === 'number' && Number.isFinite(plan.startsAt) ? plan.startsAt : null
  const index = isRecord(run) && typeof run.stepId === 'string' ? steps.findIndex((s) => s.id === run.stepId) : -1
  const current = index === -1 ? null : index
  return { startsAt, steps, current, currentSince: current !== null && isRecord(run) && typeof run.since === 'number' ? run.since : null }
}

/**
 * Each step's start and end (server time). Steps already done and the
 * running one start when they did; the ones ahead follow on from there (or,
 * before the session, from the planned start). Null when nothing anchors them.
 */
export function stepTimes(agenda: Agenda): ({ start: number; end: number } | null)[] {
  const anchorIndex = agenda.current ?? 0
  const anchor = agenda.current !== null && agenda.currentSince !== null ? agenda.currentSince : agenda.startsAt
  if (anchor === null) return agenda.steps.map(() => null)
  const times: ({ start: number; end: number } | null)[] = agenda.steps.map(() => null)
  let at = anchor
  for (let i = anchorIndex; i < agenda.steps.length; i++) {
    const end = at + agenda.steps[i].minutes * 60_000
    times[i] = { start: at, end }
    at = end
  }
  at = anchor
  for (let i = anchorIndex - 1; i >= 0; i--) {
    const start = at - agenda.steps[i].minutes * 60_000
    times[i] = { start, end: at }
    at = start
  }
  return times
}

/** The step's instructions in `language`, else in the first language they exist in; with the language used. */
export function instructionsFor(step: AgendaStep, language: Language): { text: string; language: Language } | null {
  if (step.instructions[language]) return { text: step.instructions[language]!, language }
  for (const l of LANGUAGES) if (step.instructions[l]) return { text: step.instructions[l]!, language: l }
  return null
}

/** The stored value of a step: always the same fields in the same order. */
function stepValue(step: AgendaStep): AgendaStep {
  const instructions: Partial<Record<Language, string>> = {}
  for (const l of LANGUAGES) if (step.instructions[l]) instructions[l] = step.instructions[l]
  return { id: step.id, title: step.title, minutes: step.minutes, instructions, frameId: step.frameId, mode: step.mode, position: step.position }
}

/*
 * The changes below are pure: each takes the agenda as it is now and returns
 * only the keys it changes, so it never writes back (and undoes) what someone
 * else changed meanwhile. changeAgenda reads, plans and writes in one transaction.
 */

/**
 * Changes fields of step `id`. Instructions are merged per language (an
 * empty text removes that language). Nothing when the step is already gone
 * here; an edit made on another screen at the same time as the delete does
 * keep the step when the two merge (nothing typed is lost).
 */
export function stepEdited(agenda: Agenda, id: string, change: Partial<StepFields>): AgendaWrites {
  const step = agenda.steps.find((s) => s.id === id)
  if (!step) return {}
  const instructions = change.instructions ? { ...step.instructions, ...change.instructions } : step.instructions
  return { [stepKey(id)]: stepValue({ ...step, ...change, instructions }) }
}

/** Adds a step at the end (nothing when the agenda is full or the id is taken). */
export function stepAdded(agenda: Agenda, id: string, fields: StepFields): AgendaWrites {
  if (agenda.steps.length >= MAX_AGENDA_STEPS || agenda.steps.some((s) => s.id === id)) return {}
  const last = agenda.steps.at(-1)
  return { [stepKey(id)]: stepValue({ ...fields, id, position: getIndexAbove((last?.position ?? null) as IndexKey | null) }) }
}

/** Removes step `id`. Were it running, the agenda simply has no running step (its run entry names a step no longer there). */
export function stepRemoved(agenda: Agenda, id: string): AgendaWrites {
  return agenda.steps.some((s) => s.id === id) ? { [stepKey(id)]: undefined } : {}
}

/**
 * Moves step `id` up (-1) or down (+1) by giving it a position between its
 * new neighbours, so only that step is written. When those neighbours share
 * a position (steps added on two sides at once), there is no room between
 * them: the steps are given increasing positions again, rewriting only those
 * out of order.
 */
export function stepMoved(agenda: Agenda, id: string, by: -1 | 1): AgendaWrites {
  const from = agenda.steps.findIndex((s) => s.id === id)
  const to = from + by
  if (from === -1 || to < 0 || to >= agenda.steps.length) return {}
  const step = agenda.steps[from]
  const others = agenda.steps.filter((s) => s.id !== id)
  const below = others[to - 1]?.position ?? null
  const above = others[to]?.position ?? null
  if (below === null || above === null || below < above) {
    return { [stepKey(id)]: stepValue({ ...step, position: getIndexBetween(below as IndexKey | null, above as IndexKey | null) }) }
  }
  const order = [...others.slice(0, to), step, ...others.slice(to)]
  return respread(order)
}

/** Positions for `order` (the steps in the wanted order) that sort strictly increasing; writes the steps whose position changes. */
function respread(order: AgendaStep[]): AgendaWrites {
  const writes: AgendaWrites = {}
  let previous: string | null = null
  for (let i = 0; i < order.length; i++) {
    const step = order[i]
    if (previous === null || step.position > previous) {
      previous = step.position
      continue
    }
    // Bounded by the first later position above `previous`; the steps before that one get placed below it too.
    const floor: string = previous
    const above = order.slice(i + 1).find((s) => s.position > floor)?.position ?? null
    previous = getIndexBetween(floor as IndexKey, above as IndexKey | null)
    writes[stepKey(step.id)] = stepValue({ ...step, position: previous })
  }
  return writes
}

/** Runs step `stepId` from server time `now` (null ends the agenda). Nothing for a step not in the agenda. */
export function stepStarted(agenda: Agenda, stepId: string | null, now: number): AgendaWrites {
  if (stepId !== null && !agenda.steps.some((s) => s.id === stepId)) return {}
  return { [AGENDA_RUN_KEY]: stepId === null ? { stepId: null, since: null } : { stepId, since: now } }
}

/** Plans the start of the first step (server time; null: not planned). */
export function startPlanned(startsAt: number | null): AgendaWrites {
  return { [AGENDA_PLAN_KEY]: { startsAt } }
}

/** The per-step layout of a legacy agenda: same ids, positions from its order, the running step by id. */
export function legacyConversion(agenda: Agenda): AgendaWrites {
  const writes: AgendaWrites = {}
  for (const step of agenda.steps) writes[stepKey(step.id)] = stepValue(step)
  if (agenda.startsAt !== null) writes[AGENDA_PLAN_KEY] = { startsAt: agenda.startsAt }
  if (agenda.current !== null) writes[AGENDA_RUN_KEY] = { stepId: agenda.steps[agenda.current].id, since: agenda.currentSince }
  return writes
}

/** Bump whenever legacyConversion would write anything different: two versions must never write different items under one client id. */
const CONVERSION_VERSION = 1

/** A Yjs client id (uint32, not 0) derived from the legacy value's own item id (FNV-1a). */
function conversionClientId(legacy: Y.ID): number {
  const text = `agenda-conversion/${CONVERSION_VERSION}/${legacy.client}/${legacy.clock}`
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0 || 1
}

/**
 * Turns a legacy agenda into the per-step layout: writes the steps, the plan
 * and the running step, and deletes the legacy value, inside the caller's
 * transaction. No-op on a board without one.
 *
 * Two facilitators may convert the same legacy agenda at once (both offline,
 * say), each then editing a different step. Equal values written by two Yjs
 * clients are still two concurrent writes per key, and whichever client wins
 * a key would overwrite the other's edit of that step with the plain
 * conversion. So the conversion is written as a client of its own, whose id
 * derives from the legacy value's item id: every browser converting that value
 * produces the very same Yjs items, which merge into one, and each one's
 * edits come after them. Identical items need identical starting points: no
 * item for those keys may exist yet (a key once written and deleted would
 * differ between browsers), else this falls back to an ordinary conversion.
 */
export function convertLegacyAgenda(doc: Y.Doc): void {
  const session = getSessionMap(doc)
  const legacy = session._map.get(AGENDA_KEY)
  if (!legacy || legacy.deleted) return
  doc.transact(() => {
    // A legacy value written by an old client next to the new layout is ignored by readers; drop it.
    if (hasPerStepLayout(session)) return session.delete(AGENDA_KEY)
    const writes = legacyConversion(parseLegacyAgenda(session.get(AGENDA_KEY)))
    const conversionClient = conversionClientId(legacy.id)
    const own = doc.clientID
    const untouched = Object.keys(writes).every((key) => !session._map.has(key))
    // Written in this (local) transaction with the document's client id switched
    // for these writes only: Y.applyUpdate of a separately built update would
    // mark the whole transaction remote, and Yjs then takes the author's own
    // edits in it for another client using its id and gives it a new one.
    if (untouched && conversionClient !== own && Y.getState(doc.store, conversionClient) === 0) doc.clientID = conversionClient
    try {
      for (const [key, value] of Object.entries(writes)) session.set(key, value)
    } finally {
      doc.clientID = own
    }
    // Deleting one item twice is the same delete: both browsers' deletes merge too.
    session.delete(AGENDA_KEY)
  })
}

/**
 * A facilitator's change to the agenda: converts a legacy agenda first, then
 * writes only the keys `change` returns for the agenda as it is now. One
 * transaction; inside the caller's when there is one (e.g. with the timer).
 */
export function changeAgenda(doc: Y.Doc, change: (agenda: Agenda) => AgendaWrites): void {
  doc.transact(() => {
    convertLegacyAgenda(doc)
    const session = getSessionMap(doc)
    for (const [key, value] of Object.entries(change(readAgenda(session)))) {
      if (value === undefined) session.delete(key)
      else if (!jsonEqual(session.get(key), value)) session.set(key, value)
    }
  })
}
