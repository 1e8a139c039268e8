/**
 * What participants may not change on a board, enforced by the server:
 * - records a facilitator locked (`meta.facilitatorLock`): no change, no
 *   delete, no new shape inside them, and nobody but a facilitator may set
 *   or clear the mark;
 * - the facilitator-only props a custom shape declares (`facilitatorOnlyProps`
 *   in CUSTOM_SHAPES, e.g. the radar's `showNames`): kept at what a facilitator
 *   last set, or at the declared value on a shape someone else created.
 * Viewers never get this far: the room drops their updates. The guard keeps
 * the last accepted state of what it protects (locked records, those props),
 * so a forbidden change, once applied by Yjs, can be written back. Root maps
 * only some roles may change (the session state, the glossary) are guarded
 * by protectedMapGuard.ts; createServer combines them.
 */
import * as Y from 'yjs'
import { hasRole, type Role } from '../../../shared/access'
import { CUSTOM_SHAPES } from '../../../shared/boardSchema'
import {
  FACILITATOR_LOCK,
  getRecordsMap,
  jsonEqual,
  putRecord,
  yMapToRecord,
  type PlainRecord,
} from '../../../shared/documentLayout'
import type { WriteGuard } from '../room/WriteGuard'

/** The facilitator-only props of a record's shape type, if it has any. */
function facilitatorOnlyProps(record: unknown): Record<string, unknown> | undefined {
  if (!(record instanceof Y.Map) || record.get('typeName') !== 'shape') return undefined
  const type = record.get('type')
  return typeof type === 'string' && Object.hasOwn(CUSTOM_SHAPES, type) ? CUSTOM_SHAPES[type].facilitatorOnlyProps : undefined
}

/** The current values of `names` in a record's props. */
function readProps(record: Y.Map<unknown>, names: Record<string, unknown>): Record<string, unknown> {
  const props = record.get('props')
  return Object.fromEntries(Object.keys(names).map((name) => [name, props instanceof Y.Map ? props.get(name) : undefined]))
}

function isLockedMap(record: unknown): boolean {
  if (!(record instanceof Y.Map)) return false
  const meta = record.get('meta')
  return meta instanceof Y.Map && meta.get(FACILITATOR_LOCK) === true
}

/** The guard for one board document. */
export function createBoardWriteGuard(doc: Y.Doc): WriteGuard {
  const records = getRecordsMap(doc)
  /** Last accepted state of every facilitator-locked record. */
  const locked = new Map<string, PlainRecord>()
  for (const [id, record] of records) if (isLockedMap(record)) locked.set(id, yMapToRecord(record) as PlainRecord)
  /** Last accepted facilitator-only props per record that has some. */
  const facilitatorProps = new Map<string, Record<string, unknown>>()
  for (const [id, record] of records) {
    const names = facilitatorOnlyProps(record)
    if (names) facilitatorProps.set(id, readProps(record, names))
  }

  // Repairs owed for the untrusted transactions seen since the last repair().
  const restoreRecords = new Set<string>()
  const dropRecords = new Set<string>()
  const unlockRecords = new Set<string>()
  /** Records whose facilitator-only props go back to these values. */
  const restoreProps = new Map<string, Record<string, unknown>>()

  /** The record id a changed type belongs to, or undefined (another root). */
  function ownerOf(type: Y.AbstractType<unknown>): string | undefined {
    let current: Y.AbstractType<unknown> = type
    for (;;) {
      const item = current._item
      if (!item) return undefined
      const parent = item.parent as Y.AbstractType<unknown>
      if (parent === records) return item.parentSub ?? undefined
      current = parent
    }
  }

  function changedRecordIds(transaction: Y.Transaction): Set<string> {
    const ids = new Set<string>()
    for (const [type, keys] of transaction.changed) {
      if ((type as unknown) === records) {
        for (const key of keys) if (key !== null) ids.add(key)
        continue
      }
      const owner = ownerOf(type as Y.AbstractType<unknown>)
      if (owner !== undefined) ids.add(owner)
    }
    return ids
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
      const ids = changedRecordIds(transaction)
      const trusted = role === null || hasRole(role, 'facilitator')
      if (!trusted) {
        for (const id of ids) {
          if (locked.has(id)) restoreRecords.add(id)
          else if (!records.has(id)) continue
          else if (isLockedMap(records.get(id))) unlockRecords.add(id)
          else if (parentLocked(id) && isNew(id, transaction)) dropRecords.add(id)
          const record = records.get(id)
          const names = facilitatorOnlyProps(record)
          if (names && !dropRecords.has(id)) {
            const expected = facilitatorProps.get(id) ?? names
            if (!jsonEqual(readProps(record!, names), expected)) restoreProps.set(id, expected)
          }
        }
        return
      }
      for (const id of ids) {
        const record = records.get(id)
        if (isLockedMap(record)) locked.set(id, yMapToRecord(record!) as PlainRecord)
        else locked.delete(id)
        const names = facilitatorOnlyProps(record)
        if (names) facilitatorProps.set(id, readProps(record!, names))
        else facilitatorProps.delete(id)
      }
    },
    repair() {
      if (restoreRecords.size === 0 && dropRecords.size === 0 && unlockRecords.size === 0 && restoreProps.size === 0) return false
      // Trusted (null role): the room attributes this transaction to nobody.
      doc.transact(() => {
        for (const id of restoreRecords) putRecord(records, locked.get(id)!)
        for (const id of dropRecords) records.delete(id)
        for (const id of unlockRecords) {
          const meta = records.get(id)?.get('meta')
          if (meta instanceof Y.Map) meta.delete(FACILITATOR_LOCK)
        }
        for (const [id, values] of restoreProps) {
          const props = records.get(id)?.get('props')
          if (!(props instanceof Y.Map)) continue
          for (const [name, value] of Object.entries(values)) {
            if (value === undefined) props.delete(name)
            else if (!jsonEqual(props.get(name), value)) props.set(name, value)
          }
        }
      }, GUARD_ORIGIN)
      restoreRecords.clear()
      dropRecords.clear()
      unlockRecords.clear()
      restoreProps.clear()
      return true
    },
    destroy() {
      locked.clear()
      facilitatorProps.clear()
    },
  }
}

/** Origin of the guard's repairs. */
export const GUARD_ORIGIN = Symbol('board-write-guard')
