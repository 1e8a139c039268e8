/**
 * Who this browser is on every board: a stable random id, a colour derived
 * from it, and the name the person typed once (all in localStorage).
 */

export const USER_ID_KEY = 'ww.userId'
export const USER_NAME_KEY = 'ww.userName'
/** Longest display name we keep. */
export const MAX_NAME_LENGTH = 60

/** Cursor colours with enough contrast on a white board (and distinct from each other). */
export const USER_COLORS = [
  '#d9480f', '#1971c2', '#2f9e44', '#ae3ec9', '#e8590c', '#0c8599',
  '#c2255c', '#5f3dc4', '#66a80f', '#f08c00', '#1864ab', '#862e9c',
] as const

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Private mode: remembered for this page only.
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

let memoryId: string | undefined

/** This browser's stable user id (created on first use). */
export function getUserId(): string {
  const stored = read(USER_ID_KEY)
  if (stored && /^[\w-]{8,64}$/.test(stored)) return stored
  memoryId ??= randomId()
  write(USER_ID_KEY, memoryId)
  return memoryId
}

/** A colour that stays the same for a user id. */
export function colorForUser(userId: string): string {
  let hash = 0
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return USER_COLORS[hash % USER_COLORS.length]
}

/** The remembered display name, or null before the person has given one. */
export function getUserName(): string | null {
  const name = read(USER_NAME_KEY)?.trim()
  return name ? name.slice(0, MAX_NAME_LENGTH) : null
}

/** Remembers the display name for every board in this browser. */
export function setUserName(name: string): string {
  const clean = name.trim().slice(0, MAX_NAME_LENGTH)
  write(USER_NAME_KEY, clean)
  return clean
}

export const USER_ORGANISATION_KEY = 'ww.userOrganisation'
export const USER_TIME_ZONE_KEY = 'ww.userTimeZone'
/** Longest organisation name we keep. */
export const MAX_ORGANISATION_LENGTH = 80

/** Who someone is in a dialogue, besides their name: where they come from, their language, their time zone. */
export interface Profile {
  organisation: string
  language: string
  timeZone: string
}

/** This device's time zone, as the browser knows it. */
export function detectedTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/** True for an IANA time zone this browser knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

export function getOrganisation(): string {
  return (read(USER_ORGANISATION_KEY) ?? '').trim().slice(0, MAX_ORGANISATION_LENGTH)
}

/** The chosen time zone, or the detected one. */
export function getTimeZone(): string {
  const stored = read(USER_TIME_ZONE_KEY)
  return stored && isTimeZone(stored) ? stored : detectedTimeZone()
}

export function setOrganisation(organisation: string): string {
  const clean = organisation.trim().slice(0, MAX_ORGANISATION_LENGTH)
  write(USER_ORGANISATION_KEY, clean)
  return clean
}

export function setTimeZone(timeZone: string): void {
  if (isTimeZone(timeZone)) write(USER_TIME_ZONE_KEY, timeZone)
}

/**
 * A random secret this browser keeps under `storageKey` (created on first
 * use, 144+ bits, base64url), e.g. a voter id or a private document's key.
 * Where localStorage is unavailable, a fresh one for this page only.
 */
export function browserSecret(storageKey: string, bytes = 18): string {
  const existing = read(storageKey)
  if (existing && /^[A-Za-z0-9_-]{22,64}$/.test(existing)) return existing
  const random = crypto.getRandomValues(new Uint8Array(bytes))
  const secret = btoa(String.fromCharCode(...random)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  write(storageKey, secret)
  return secret
}
