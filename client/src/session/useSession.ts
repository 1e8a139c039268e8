/**
 * The facilitator-only session state of a board (shared/session.ts), read
 * live from the document's `session` map, and the writes a facilitator makes.
 * Participants' clients never write it (the server would undo it anyway).
 */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { getSessionMap } from '../../../shared/documentLayout'
import {
  parsePresenter,
  parseRepairNotice,
  parseSpotlight,
  parseSummon,
  parseTimer,
  SessionKeys,
  type Presenter,
  type RepairNotice,
  type Spotlight,
  type Summon,
  type TimerState,
} from '../../../shared/session'
import { parseVotes, type Vote } from '../../../shared/voting'
import { PRIVATE_MODE_KEY } from '../../../shared/privateMode'
import { BREAKOUTS_KEY, parseBreakouts, type Breakouts } from '../../../shared/breakouts'
import { readAgenda, type Agenda } from '../../../shared/agenda'

export interface SessionState {
  timer: TimerState | undefined
  summon: Summon | undefined
  presenter: Presenter | undefined
  spotlight: Spotlight | undefined
  handsClearedAt: number
  viewerPresence: boolean
  /** Dot votes, oldest first. */
  votes: Vote[]
  /** Participants' new notes stay private until a facilitator reveals them. */
  privateMode: boolean
  breakouts: Breakouts | undefined
  agenda: Agenda
  /** The server found the board damaged and opened what it could (shown to facilitators until dismissed). */
  repaired: RepairNotice | undefined
}

export function readSession(doc: Y.Doc): SessionState {
  const map = getSessionMap(doc)
  const cleared = map.get(SessionKeys.handsClearedAt)
  return {
    timer: parseTimer(map.get(SessionKeys.timer)),
    summon: parseSummon(map.get(SessionKeys.summon)),
    presenter: parsePresenter(map.get(SessionKeys.presenter)),
    spotlight: parseSpotlight(map.get(SessionKeys.spotlight)),
    handsClearedAt: typeof cleared === 'number' ? cleared : 0,
    viewerPresence: map.get(SessionKeys.viewerPresence) === true,
    votes: parseVotes(map.get(SessionKeys.votes)),
    privateMode: map.get(PRIVATE_MODE_KEY) !== undefined,
    breakouts: parseBreakouts(map.get(BREAKOUTS_KEY)),
    agenda: readAgenda(map),
    repaired: parseRepairNotice(map.get(SessionKeys.repaired)),
  }
}

/** The session state, re-rendering when it changes. */
export function useSession(doc: Y.Doc): SessionState {
  const [state, setState] = useState(() => readSession(doc))
  useEffect(() => {
    const map = getSessionMap(doc)
    const refresh = () => setState(readSession(doc))
    map.observe(refresh)
    refresh()
    return () => map.unobserve(refresh)
  }, [doc])
  return state
}

/** Sets (or, with undefined, clears) one session entry. Facilitators only. */
export function writeSession(doc: Y.Doc, key: (typeof SessionKeys)[keyof typeof SessionKeys] | typeof PRIVATE_MODE_KEY, value: unknown): void {
  doc.transact(() => {
    const map = getSessionMap(doc)
    if (value === undefined) map.delete(key)
    else map.set(key, value)
  })
}
