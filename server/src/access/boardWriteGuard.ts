/**
 * What participants may not change on a board, enforced by the server:
 * - the facilitator-only session state (timer, private mode, voting ...);
 * - records a facilitator locked (`meta.facilitatorLock`): no change, no
 *   delete, no new shape inside them, and nobody but a facilitator may set
 *   or clear the mark.
 * Viewers never get this far: the room drops their updates. The guard keeps
 * the last accepted state of what it protects (locked records, the session
 * map), so a forbidden change, once applied by Yjs, can be written back.
 */
import * as Y from 'yjs'
import { hasRole, type Role } from '../../../shared/access'
import {
  FACILITATOR_LOCK,
  getRecordsMap,
  getSessionMap,
  jsonEqual,
  putRecord,
  yMapToRecord,
  type PlainRecord,
} from '../../../shared/documentLayout'
import type { WriteGuard } from '../room/WriteGuard'

function isLockedMap(record: unknown): boolean {
  if (!(record instanceof Y.Map)) return false
  const meta = record.get('meta')
  return meta instanceof Y.Map && meta.get(FACILITATOR_LOCK) === true
}

/** The guard for one board document. */
export function createBoardWriteGuard(doc: Y.Doc): WriteGuard {
  const records = getRecordsMap(doc)
  const session = getSessionMap(doc)
  /** Last accepted state of every facilitator-locked record. */
  const locked = new Map<string, PlainRecord>()
  let sessionState = session.toJSON() as Record<string, unknown>
  for (const [id, record] of records) if (isLockedMap(record)) locked.set(id, yMapToRecord(record) as PlainRecord)

  // Repairs owed for the untrusted transactions seen since the last repair().
  const restoreRecords = new Set<string>()
  const dropRecords = new Set<string>()
  const unlockRecords = new Set<string>()
  let restoreSession = false

  /** The record id a changed type belongs to, or 'session', or undefined (another root). */
  function ownerOf(type: Y.AbstractType<unknown>): string | typeof session | undefined {
    if (type === session) return session
    let current: Y.AbstractType<unknown> = type
    for (;;) {
      const item = current._item
      if (!item) return undefined
      const parent = item.parent as Y.AbstractType<unknown>
      if (parent === records) return item.parentSub ?? undefined
      if (parent === session) return session
      current = parent
    }
  }

  function changedRecordIds(transaction: Y.Transaction): { ids: Set<string>; session: boolean } {
    const ids = new Set<string>()
    let sessionTouched = false
    for (const [type, keys] of transaction.changed) {
      if ((type as unknown) === records) {
        for (const key of keys) if (key !== null) ids.add(key)
        continue
      }
      const owner = ownerOf(type as Y.AbstractType<unknown>)
      if (owner === session) sessionTouched = true
      else if (typeof owner === 'string') ids.add(owner)
    }
    return { ids, session: sessionTouched }
  }

  function parentLocked(id: string): boolean {
    const record = records.get(id)
    const parentId = record instanceof Y.Map ? record.get('parentId') : undefined
    return typeof parentId === 'string' && locked.has(parentId)
  }

  /** True when the record's map was created by `transaction` (a new shape, not a moved one). */
  function isNew(id: string, transaction: Y.Transaction): boolean {
    const item = records.get(id)?._item
    if (!item) return false
    return item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)
  }

  return {
    observe(transaction, role) {
      const { ids, session: sessionTouched } = changedRecordIds(transaction)
      const trusted = role === null || hasRole(role, 'facilitator')
      if (!trusted) {
        if (sessionTouched) restoreSession = true
        for (const id of ids) {
          if (locked.has(id)) restoreRecords.add(id)
          else if (!records.has(id)) continue
          else if (isLockedMap(records.get(id))) unlockRecords.add(id)
          else if (parentLocked(id) && isNew(id, transaction)) dropRecords.add(id)
        }
        return
      }
      if (sessionTouched) sessionState = session.toJSON() as Record<string, unknown>
      for (const id of ids) {
        const record = records.get(id)
        if (isLockedMap(record)) locked.set(id, yMapToRecord(record!) as PlainRecord)
        else locked.delete(id)
      }
    },
    repair() {
      if (!restoreSession && restoreRecords.size === 0 && dropRecords.size === 0 && unlockRecords.size === 0) return false
      // Trusted (null role): the room attributes this transaction to nobody.
      doc.transact(() => {
        if (restoreSession) {
          for (const key of Array.from(session.keys())) if (!(key in sessionState)) session.delete(key)
          for (const [key, value] of Object.entries(sessionState)) if (!jsonEqual(session.get(key), value)) session.set(key, value)
        }
        for (const id of restoreRecords) putRecord(records, locked.get(id)!)
        for (const id of dropRecords) records.delete(id)
        for (const id of unlockRecords) {
          const meta = records.get(id)?.get('meta')
          if (meta instanceof Y.Map) meta.delete(FACILITATOR_LOCK)
        }
      }, GUARD_ORIGIN)
      restoreSession = false
      restoreRecords.clear()
      dropRecords.clear()
      unlockRecords.clear()
      return true
    },
    destroy() {
      locked.clear()
    },
  }
}

/** Origin of the guard's repairs. */
export const GUARD_ORIGIN = Symbol('board-write-guard')
