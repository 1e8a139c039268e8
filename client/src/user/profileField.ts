/**
 * The profile in each person's awareness state (volatile, never stored):
 * organisation, language and time zone, so a facilitator sees who is there
 * and from where, and breakout groups can mix them.
 */
import type { Awareness } from 'y-protocols/awareness'
import { LANGUAGES } from '../../../shared/languages'
import { isTimeZone, MAX_ORGANISATION_LENGTH, type Profile } from './identity'

export const PROFILE_FIELD = 'profile'

/** The role a person's own browser declares (informational: groups leave facilitators out). */
export const ROLE_FIELD = 'role'

export function readDeclaredRole(state: unknown): string | undefined {
  const raw = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[ROLE_FIELD] : undefined
  return typeof raw === 'string' ? raw : undefined
}

export function readProfile(state: unknown): Profile | undefined {
  const raw = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[PROFILE_FIELD] : undefined
  if (typeof raw !== 'object' || raw === null) return undefined
  const { organisation, language, timeZone } = raw as Record<string, unknown>
  if (typeof organisation !== 'string' || typeof language !== 'string' || typeof timeZone !== 'string') return undefined
  return {
    organisation: organisation.slice(0, MAX_ORGANISATION_LENGTH),
    language: (LANGUAGES as readonly string[]).includes(language) ? language : '',
    timeZone: isTimeZone(timeZone) ? timeZone : '',
  }
}

export function publishProfile(awareness: Awareness, profile: Profile): void {
  awareness.setLocalStateField(PROFILE_FIELD, profile)
}
