/**
 * Links and roles: which key opens which board as whom. The only place that
 * reads or makes board keys; HTTP routes and the sync endpoint ask it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { isBoardKey, ROLES, type Role } from '../../../shared/access'
import { Close, type CloseReason } from '../../../shared/protocol'
import type { Storage } from '../storage/Storage'

/** What a key is worth on a board. */
export type AccessCheck =
  | { kind: 'granted'; role: Role }
  | { kind: 'unknown-board' }
  /** No key at all. */
  | { kind: 'no-key' }
  /** A key, but not one of this board's (a mistyped or replaced link). */
  | { kind: 'wrong-key' }

/** A fresh key: 128 random bits, base64url. */
export function newBoardKey(): string {
  return randomBytes(16).toString('base64url')
}

/** One fresh key per role, for a new board. */
export function newBoardKeys(): Record<Role, string> {
  return Object.fromEntries(ROLES.map((role) => [role, newBoardKey()])) as Record<Role, string>
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The access checks, bound to storage. */
export interface BoardAccessControl {
  check(boardId: string, key: string | null | undefined): Promise<AccessCheck>
  /** Replaces `role`'s key; resolves to the old and new key, or undefined for an unknown board. */
  rotate(boardId: string, role: Role, now: number): Promise<{ oldKey: string; newKey: string } | undefined>
}

export function createBoardAccess(storage: Storage): BoardAccessControl {
  return {
    async check(boardId, key) {
      const keys = await storage.getBoardKeys(boardId)
      if (!keys) return { kind: 'unknown-board' }
      if (key === null || key === undefined || key === '') return { kind: 'no-key' }
      if (!isBoardKey(key)) return { kind: 'wrong-key' }
      // Every role compared, so the time taken does not tell which one matched.
      let granted: Role | undefined
      for (const role of ROLES) if (keys[role] !== undefined && sameKey(keys[role], key) && granted === undefined) granted = role
      return granted ? { kind: 'granted', role: granted } : { kind: 'wrong-key' }
    },
    async rotate(boardId, role, now) {
      const keys = await storage.getBoardKeys(boardId)
      if (!keys) return undefined
      const newKey = newBoardKey()
      if (!(await storage.setBoardKey(boardId, role, newKey, now))) return undefined
      return { oldKey: keys[role], newKey }
    },
  }
}

/** The websocket close reason for a failed check. */
export function closeReasonFor(check: Exclude<AccessCheck, { kind: 'granted' }>): CloseReason {
  switch (check.kind) {
    case 'unknown-board':
      return Close.unknownBoard
    case 'no-key':
      return Close.unauthorized
    case 'wrong-key':
      return Close.forbidden
  }
}
