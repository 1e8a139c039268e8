/**
 * The agenda of a digital dialogue (issue 6): ordered steps the core group
 * prepares before the session, and the facilitator advances during it. Kept
 * in the board's facilitator-only session state. Times are server time; each
 * browser shows them in its person's own time zone.
 */
import { LANGUAGES, type Language } from './languages'

export const AGENDA_KEY = 'agenda'
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parseAgenda(value: unknown): Agenda {
  if (!isRecord(value) || !Array.isArray(value.steps)) return EMPTY_AGENDA
  const steps = value.steps.slice(0, MAX_AGENDA_STEPS).flatMap((raw): AgendaStep[] => {
    if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.title !== 'string') return []
    const instructions: Partial<Record<Language, string>> = {}
    if (isRecord(raw.instructions)) for (const l of LANGUAGES) if (typeof raw.instructions[l] === 'string' && raw.instructions[l]) instructions[l] = raw.instructions[l] as string
    const minutes = typeof raw.minutes === 'number' && Number.isFinite(raw.minutes) ? Math.max(0, Math.min(24 * 60, raw.minutes)) : 0
    return [{ id: raw.id, title: raw.title, minutes, instructions, frameId: typeof raw.frameId === 'string' ? raw.frameId : null, mode: raw.mode === 'breakout' ? 'breakout' : 'plenary' }]
  })
  const current = typeof value.current === 'number' && Number.isInteger(value.current) && value.current >= 0 && value.current < steps.length ? value.current : null
  return {
    startsAt: typeof value.startsAt === 'number' ? value.startsAt : null,
    steps,
    current,
    currentSince: current !== null && typeof value.currentSince === 'number' ? value.currentSince : null,
  }
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

/** Moves to step `index` (null ends the agenda) at server time `now`. */
export function goToStep(agenda: Agenda, index: number | null, now: number): Agenda {
  if (index !== null && (index < 0 || index >= agenda.steps.length)) return agenda
  return { ...agenda, current: index, currentSince: index === null ? null : now }
}

/** Moves a step up (-1) or down (+1). */
export function moveStep(agenda: Agenda, id: string, by: -1 | 1): Agenda {
  const from = agenda.steps.findIndex((s) => s.id === id)
  const to = from + by
  if (from === -1 || to < 0 || to >= agenda.steps.length) return agenda
  const steps = [...agenda.steps]
  ;[steps[from], steps[to]] = [steps[to], steps[from]]
  // The running step stays the running step.
  const current = agenda.current === from ? to : agenda.current === to ? from : agenda.current
  return { ...agenda, steps, current }
}
