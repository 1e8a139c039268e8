/**
 * Who is looking at a radar: this browser's respondent id for the board and
 * the display name to store when the group turns names on. Provided by
 * BoardEditor around <Tldraw>, read by the radar's component.
 */
import { createContext, useContext } from 'react'
import { newRespondentId } from '../../../../../shared/radar'
import type { ContributionWriter } from './contributions'

/** The viewer of the board's radars. */
export interface RadarViewer {
  /** Random, per board and browser; never the user id or name. */
  respondentId: string
  /** Stored next to the scores only while a radar shows names. */
  displayName: string
  /** A facilitator may switch names on or off (the group decides, the facilitator sets it). */
  canFacilitate: boolean
  /** Writes this viewer's own scores and name into the document, unlinkable to their presence (see contributions.ts). */
  contributions?: ContributionWriter
}

export const RadarViewerContext = createContext<RadarViewer | null>(null)

/** The viewer, or null outside a board (e.g. a bare editor in a test). */
export function useRadarViewer(): RadarViewer | null {
  return useContext(RadarViewerContext)
}

const STORAGE_PREFIX = 'ww.radarRespondent.'

/**
 * This browser's respondent id for `boardId`, created on first use and kept in
 * localStorage, so a reload keeps "my" scores. A separate id per board means
 * two boards cannot be linked through it.
 */
export function respondentIdFor(boardId: string): string {
  const key = STORAGE_PREFIX + boardId
  try {
    const stored = localStorage.getItem(key)
    if (stored && /^[A-Za-z0-9_-]{8,64}$/.test(stored)) return stored
    const id = newRespondentId()
    localStorage.setItem(key, id)
    return id
  } catch {
    // No storage (private mode with storage blocked): scores last for this page only.
    return newRespondentId()
  }
}
