/**
 * The boards this browser knows: created here or opened through a link, each
 * with the key of that link. There is no server-wide list (a board is reached
 * only through its links), so this is the home page's list, and the key a
 * board page uses when its address carries none (after a reload, or when
 * opened from the list).
 */
import { isBoardKey, isRole, ROLES, type BoardKeys, type Role } from '../../../shared/access'
import type { BoardAccess, BoardMeta } from '../../../shared/api'
import { parseBoardMeta } from '../api/http'

const STORAGE_KEY = 'ww.knownBoards'

/** A board this browser knows, as its link's holder sees it. */
export interface KnownBoard extends BoardMeta {
  /** The key this browser opens the board with. */
  key: string
  role: Role
  /** Keys this browser may share (its own role's and lesser ones). */
  keys: BoardKeys
  /** When this browser last opened it (ms). */
  lastOpened: number
  /** The key was replaced by a facilitator: this browser cannot open the board any more. */
  revoked?: boolean
}

function parseKnown(value: unknown): KnownBoard | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const meta = parseBoardMeta(v)
  if (!meta || !isBoardKey(v.key) || !isRole(v.role) || typeof v.lastOpened !== 'number') return undefined
  const keys: BoardKeys = {}
  const rawKeys = (typeof v.keys === 'object' && v.keys !== null ? v.keys : {}) as Record<string, unknown>
  for (const role of ROLES) if (isBoardKey(rawKeys[role])) keys[role] = rawKeys[role] as string
  return { ...meta, key: v.key, role: v.role, keys, lastOpened: v.lastOpened, ...(v.revoked === true ? { revoked: true } : {}) }
}

/** Every known board, most recently opened or changed first. */
export function knownBoards(): KnownBoard[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]')
    if (!Array.isArray(raw)) return []
    return raw
      .map(parseKnown)
      .filter((b): b is KnownBoard => b !== undefined)
      .sort((a, b) => Math.max(b.lastOpened, b.updatedAt) - Math.max(a.lastOpened, a.updatedAt))
  } catch {
    return []
  }
}

function save(boards: KnownBoard[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(boards))
  } catch {
    // Private mode or a full quota: the list is lost, the boards are not (their links still work).
  }
}

/** The known board `id`, if any. */
export function knownBoard(id: string): KnownBoard | undefined {
  return knownBoards().find((b) => b.id === id)
}

/** Records what `key` opens (after create or a successful read); marks it opened now when `opened`. */
export function rememberBoard(access: BoardAccess, key: string, opened = false): KnownBoard {
  const boards = knownBoards()
  const previous = boards.find((b) => b.id === access.board.id)
  // A stronger link wins: opening the viewer link must not downgrade a facilitator's entry.
  const keep = previous && !previous.revoked && previous.key !== key && ROLES.indexOf(previous.role) < ROLES.indexOf(access.role)
  const entry: KnownBoard = keep
    ? { ...previous, ...access.board, lastOpened: opened ? Date.now() : previous.lastOpened }
    : { ...access.board, key, role: access.role, keys: access.keys, lastOpened: opened ? Date.now() : (previous?.lastOpened ?? Date.now()) }
  save([entry, ...boards.filter((b) => b.id !== entry.id)])
  return entry
}

/** Applies `change` to the known board `id`. */
export function updateKnownBoard(id: string, change: (board: KnownBoard) => KnownBoard): void {
  save(knownBoards().map((b) => (b.id === id ? change(b) : b)))
}

/** Removes a board from this browser's list (the board itself stays on the server). */
export function forgetBoard(id: string): void {
  save(knownBoards().filter((b) => b.id !== id))
}
