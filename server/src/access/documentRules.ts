/**
 * The server's rules for what may enter a board document, by role. One guard
 * per loaded document (the room asks it about every update it receives):
 *
 * 1. Before anything is applied, the update must fit the document's layout
 *    (updateStructure.ts); if not, it is refused whole and never reaches Yjs.
 * 2. The guard copies what the update touches (those records, those keys of
 *    the flat roots) as they are now.
 * 3. The room applies the update, and in the SAME transaction asks the guard
 *    to judge each touched record and key against its copy, writing back
 *    whatever broke a rule. The transaction's update, which is what gets
 *    stored and relayed, is therefore the net change: refused content is
 *    garbage-collected by Yjs before the update is encoded and never stored.
 *
 * Undoing rather than refusing the update whole keeps the author's later
 * edits applicable (they build on this one) and converges every copy, the
 * author's included, on the repaired state.
 *
 * Rules, for everyone: every record stays valid for the board's schema
 * (custom shapes and rich text included: shared/validation/records.ts); a
 * shape's parent exists and is not itself or its own descendant; the document
 * record stays; `tl_meta.schema` only ever becomes the schema this server
 * runs. For participants and interpreters on top (`hasRole(role, 'facilitator')`
 * is false):
 * - facilitator-locked records (meta.facilitatorLock) and a template's locked
 *   structure (meta.template + isLocked: frames, headings) do not change and
 *   are not deleted; interpreters may still add translations to them;
 * - nobody but a facilitator sets the lock mark (a pasted copy loses it);
 * - no shape is created in, or moved into, a facilitator-locked frame;
 * - the facilitator-only props of custom shapes keep what a facilitator set;
 * - pages and the document record are not added, changed or deleted;
 * - the session state is the facilitators', the glossary the interpreters'.
 * A private document (private mode) holds only valid records; who may write
 * it was decided when its socket was admitted.
 */
import type { SerializedSchema } from '@tldraw/store'
import type * as Y from 'yjs'
import { hasRole, type Role } from '../../../shared/access'
import { CUSTOM_SHAPES, createBoardSchema } from '../../../shared/boardSchema'
import {
  FACILITATOR_LOCK,
  getRecordsMap,
  isFacilitatorLocked,
  isStructureLocked,
  jsonEqual,
  META_KEY,
  RECORDS_KEY,
  SCHEMA_KEY,
  SESSION_KEY,
  putRecord,
  yMapToRecord,
  type PlainRecord,
} from '../../../shared/documentLayout'
import { parseRepairNotice, SessionKeys, type RepairNotice } from '../../../shared/session'
import { GLOSSARY_KEY } from '../../../shared/translations'
import type { RefusalReason } from '../../../shared/protocol'
import { lockAllowsChange } from '../../../shared/validation/locks'
import { checkRecord, type BoardStoreSchema } from '../../../shared/validation/records'
import { compareSchema } from '../../../shared/validation/schemaCompat'
import type { Logger } from '../log'
import type { Decoded, InspectOptions, WriteGuard } from '../room/WriteGuard'
import { analyseUpdate, type RootLayout } from './updateStructure'

/** Which kind of document a guard protects. */
export type DocumentKind = 'board' | 'private'

const BOARD_ROOTS: Record<string, RootLayout> = {
  [RECORDS_KEY]: 'records',
  [META_KEY]: 'values',
  [SESSION_KEY]: 'values',
  [GLOSSARY_KEY]: 'values',
}
const PRIVATE_ROOTS: Record<string, RootLayout> = { [RECORDS_KEY]: 'records' }

/** The least role that may change each flat root's keys (tl_meta has its own rule). */
const VALUE_ROOT_ROLE: Record<string, Role> = { [SESSION_KEY]: 'facilitator', [GLOSSARY_KEY]: 'interpreter' }

/** How far up a parent chain is followed looking for a cycle. */
const MAX_ANCESTRY = 200

let boardSchema: { schema: BoardStoreSchema; serialized: SerializedSchema } | undefined
function schemaOfBoards() {
  if (!boardSchema) {
    const schema = createBoardSchema()
    boardSchema = { schema, serialized: schema.serialize() }
  }
  return boardSchema
}

/** The facilitator-only props a shape type declares, if any. */
function facilitatorOnlyProps(record: PlainRecord): Record<string, unknown> | undefined {
  if (record.typeName !== 'shape' || typeof record.type !== 'string') return undefined
  return Object.hasOwn(CUSTOM_SHAPES, record.type) ? CUSTOM_SHAPES[record.type].facilitatorOnlyProps : undefined
}

function propsOf(record: PlainRecord | undefined): Record<string, unknown> {
  const props = record?.props
  return typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {}
}

function metaOf(record: PlainRecord | undefined): Record<string, unknown> {
  const meta = record?.meta
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {}
}

/** A guard for one document of kind `kind`. */
export function createDocumentGuard(doc: Y.Doc, kind: DocumentKind, log: Pick<Logger, 'error'>): WriteGuard {
  const roots = kind === 'board' ? BOARD_ROOTS : PRIVATE_ROOTS
  const records = getRecordsMap(doc)
  const { schema, serialized } = schemaOfBoards()

  /** The document's stored schema when records must be migrated up from it; remembered per stored value (it rarely changes). */
  let schemaSeen: { value: unknown; older: SerializedSchema | undefined } | undefined
  const olderStoredSchema = (): SerializedSchema | undefined => {
    const value = doc.getMap<unknown>(META_KEY).get(SCHEMA_KEY)
    if (schemaSeen === undefined || schemaSeen.value !== value) {
      const relation = compareSchema(schema, value)
      schemaSeen = { value, older: relation.kind === 'older' ? relation.schema : undefined }
    }
    return schemaSeen.older
  }

  const plain = (id: string): PlainRecord | undefined => {
    const map = records.get(id)
    return map && typeof map.entries === 'function' ? (yMapToRecord(map) as PlainRecord) : undefined
  }

  return {
    sweep(skippedUpdates) {
      const meta = doc.getMap<unknown>(META_KEY)
      const stored = compareSchema(schema, meta.get(SCHEMA_KEY))
      // Set by a participant before the server guarded tl_meta: every browser would pause the board.
      if (kind === 'board' && (stored.kind === 'invalid' || stored.kind === 'newer')) {
        log.error('board damaged: its schema was not one this server wrote; reset', { schema: meta.get(SCHEMA_KEY), reason: stored.reason })
        meta.set(SCHEMA_KEY, serialized)
      }
      const storedSchema = stored.kind === 'older' ? stored.schema : undefined
      let removed = 0
      for (const [id, map] of Array.from(records.entries())) {
        const raw = typeof map?.entries === 'function' ? yMapToRecord(map) : undefined
        const check = raw ? checkRecord(schema, id, raw, storedSchema) : { ok: false as const, reason: 'entry is not a map' }
        if (check.ok) continue
        // The log keeps the whole record, so an operator can put it back by hand.
        log.error('board damaged: removed a record no client can read', { id, reason: check.reason, record: raw })
        records.delete(id)
        removed++
      }
      if (kind === 'board' && removed + skippedUpdates > 0) {
        // In the session state, so every facilitator sees it (also one who comes days later) until one dismisses it.
        const session = doc.getMap<unknown>(SESSION_KEY)
        const earlier = parseRepairNotice(session.get(SessionKeys.repaired))
        const notice: RepairNotice = {
          at: Date.now(),
          records: (earlier?.records ?? 0) + removed,
          updates: (earlier?.updates ?? 0) + skippedUpdates,
        }
        session.set(SessionKeys.repaired, notice)
      }
    },
    inspect(decoded: Decoded, role: Role, options: InspectOptions = {}) {
      const structure = analyseUpdate(doc, decoded, roots)
      if (!structure.ok) return { refused: structure.reason }
      const { touches } = structure
      const beforeRecords = new Map<string, PlainRecord | undefined>()
      for (const id of touches.records) beforeRecords.set(id, plain(id))
      const beforeValues = new Map<string, Map<string, unknown>>()
      for (const [root, keys] of touches.values) {
        const map = doc.getMap<unknown>(root)
        beforeValues.set(root, new Map(Array.from(keys, (key) => [key, map.get(key)])))
      }
      return {
        repair: () => {
          const refusals = new Set<RefusalReason>()
          for (const [root, values] of beforeValues) repairValues(root, values, role, refusals)
          repairRecords(beforeRecords, role, refusals, options.full === true)
          return Array.from(refusals)
        },
      }
    },
  }

  function repairValues(root: string, before: Map<string, unknown>, role: Role, refusals: Set<RefusalReason>): void {
    const map = doc.getMap<unknown>(root)
    for (const [key, was] of before) {
      const now = map.get(key)
      if (jsonEqual(now, was)) continue
      let allowed: boolean
      if (root === META_KEY) allowed = key === SCHEMA_KEY && jsonEqual(now, serialized)
      else allowed = hasRole(role, VALUE_ROOT_ROLE[root] ?? 'facilitator')
      if (allowed) continue
      refusals.add(root === META_KEY ? 'invalid-record' : 'facilitator-only')
      if (was === undefined) map.delete(key)
      else map.set(key, was)
    }
  }

  function repairRecords(before: Map<string, PlainRecord | undefined>, role: Role, refusals: Set<RefusalReason>, full: boolean): void {
    if (before.size === 0) return
    const trusted = kind === 'private' || hasRole(role, 'facilitator')
    const storedSchema = olderStoredSchema()
    /** Locked as the facilitator left it: from the copy when the update touched it (participants cannot change the mark). */
    const lockedFrame = (id: unknown): boolean => {
      if (typeof id !== 'string') return false
      const record = before.has(id) ? before.get(id) : plain(id)
      return record !== undefined && isFacilitatorLocked(record)
    }

    /** What the record may be after this update: `after`, a corrected copy, or `was` (undefined: absent). */
    const judge = (id: string, was: PlainRecord | undefined, after: PlainRecord | undefined): { keep: PlainRecord | undefined; reason?: RefusalReason } => {
      if (after === undefined) {
        if (was === undefined) return { keep: undefined }
        if (was.typeName === 'document') return { keep: was, reason: 'facilitator-only' }
        if (!trusted && (isFacilitatorLocked(was) || isStructureLocked(was) || was.typeName === 'page')) return { keep: was, reason: 'facilitator-only' }
        return { keep: undefined }
      }
      const check = checkRecord(schema, id, after, storedSchema)
      if (!check.ok) return { keep: was, reason: 'invalid-record' }
      let keep = after
      // Pages and the document record are the board's frame: only facilitators add, rename, reorder or delete them.
      if (!trusted && (after.typeName === 'page' || after.typeName === 'document')) return { keep: was, reason: 'facilitator-only' }
      if (!trusted) {
        // Locked shapes: only translations, and taking part in a template's structure (shared/validation/locks.ts).
        if (was && !lockAllowsChange(was, after, role)) return { keep: was, reason: 'facilitator-only' }
        if (was && isFacilitatorLocked(was)) return { keep: after }
        if (!was && (isFacilitatorLocked(after) || isStructureLocked(after))) {
          // A copy a participant makes of a locked shape or of a template's structure (a paste, a
          // template they add) is their own, unlocked, as their editor makes it (facilitatorLock.ts).
          const meta = { ...metaOf(after) }
          delete meta[FACILITATOR_LOCK]
          keep = { ...after, meta, isLocked: false }
        } else if (was && isFacilitatorLocked(after)) return { keep: was, reason: 'facilitator-only' }
        // Only facilitators make a shape part of a template's locked structure (which nobody else may then change).
        else if (was && isStructureLocked(after) && !isStructureLocked(was)) return { keep: was, reason: 'facilitator-only' }
        if (after.typeName === 'shape' && after.parentId !== was?.parentId && lockedFrame(after.parentId)) {
          return { keep: was, reason: 'facilitator-only' }
        }
        const names = facilitatorOnlyProps(after)
        if (names) {
          const expected = was ? Object.fromEntries(Object.keys(names).map((name) => [name, propsOf(was)[name]])) : names
          const props = propsOf(keep)
          if (Object.entries(expected).some(([name, value]) => !jsonEqual(props[name], value))) {
            const fixed = { ...props }
            for (const [name, value] of Object.entries(expected)) {
              if (value === undefined) delete fixed[name]
              else fixed[name] = value
            }
            keep = { ...keep, props: fixed }
            refusals.add('facilitator-only')
          }
        }
      }
      // A private document's shapes sit in the board's frames and page, which it does not hold; the reveal checks those.
      if (kind === 'board' && after.typeName === 'shape' && after.parentId !== was?.parentId && !parentAcceptable(id, after.parentId)) {
        return { keep: was, reason: 'invalid-record' }
      }
      return { keep }
    }

    for (const [id, was] of before) {
      const after = plain(id)
      if (jsonEqual(after, was)) continue
      // A full board takes deletions only (they are how it gets room again); judged as usual.
      const { keep, reason } = full && after !== undefined ? { keep: was, reason: 'board-full' as const } : judge(id, was, after)
      if (reason) refusals.add(reason)
      if (keep === after) continue
      if (keep === undefined) records.delete(id)
      else putRecord(records, keep)
    }
  }

  /** A shape's parent must be a page or shape of this document, and not the shape itself or inside it. */
  function parentAcceptable(id: string, parentId: unknown): boolean {
    let current = parentId
    for (let step = 0; step < MAX_ANCESTRY; step++) {
      if (typeof current !== 'string' || current === id) return false
      const parent = records.get(current)
      if (!parent || typeof parent.get !== 'function') return false
      const typeName = parent.get('typeName')
      if (typeName === 'page') return true
      if (typeName !== 'shape') return false
      current = parent.get('parentId')
    }
    return false
  }
}
