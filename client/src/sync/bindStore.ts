/**
 * Two-way binding between a tldraw store and a board's Yjs document.
 *
 *   local user edit ──store.listen(user, document)──▶ one Y transaction (origin: this binding)
 *   Y update from elsewhere ──observeDeep──▶ validate each record ──▶ store.mergeRemoteChanges
 *
 * Only the fields that changed are written, so concurrent edits to different
 * fields of one record (a move and a recolour) both survive. Records coming
 * from the document are untrusted: each one is migrated (if the document was
 * written under an older schema) and validated, and a bad one is skipped with
 * a warning instead of breaking the editor.
 */
import type { SerializedSchema, TLRecord, TLStore } from 'tldraw'
import * as Y from 'yjs'
import {
  getMetaMap,
  getRecordsMap,
  jsonEqual,
  putRecord,
  removeRecord,
  SCHEMA_KEY,
  yMapToRecord,
  type PlainRecord,
} from '../../../shared/documentLayout'
import { checkRecord, UNSAFE_KEYS, type RecordCheck } from '../../../shared/validation/records'
import { compareSchema, type SchemaRelation } from '../../../shared/validation/schemaCompat'

/** A record read from the document: usable, or skipped with a reason. */
export type DecodedRecord = RecordCheck

export interface BindStoreOptions {
  /**
   * Called when the document turns out to be written by a newer client (now or
   * later, if someone upgrades it mid-session). The binding has stopped by then.
   */
  onIncompatible?(relation: Extract<SchemaRelation, { kind: 'newer' | 'invalid' }>): void
  /** Where skipped records are reported; console by default. */
  logger?: Pick<Console, 'warn'>
  /**
   * Which of the store's records live in this document (default: all). With
   * two bindings on one store (the board and a private document), each writes
   * and removes only its own records.
   */
  accepts?: (record: TLRecord) => boolean
}

/** A live binding; `dispose` stops both directions. */
export interface StoreBinding {
  /** The origin of every transaction this binding writes to the document. */
  readonly origin: object
  /** Records skipped during the initial load (invalid or unknown). */
  readonly skippedOnLoad: number
  dispose(): void
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Reads one record from the document and turns it into a valid tldraw record
 * of the current schema, or explains why it cannot (shared/validation/records.ts:
 * the same check the server makes before it stores a change).
 */
export function decodeRecord(
  store: TLStore,
  id: string,
  map: unknown,
  storedSchema: SerializedSchema | undefined,
): DecodedRecord {
  if (!(map instanceof Y.Map)) return { ok: false, id, reason: 'entry is not a map' }
  // Checked on the map itself: copied onto a plain object, `__proto__` would set the prototype, not a key.
  const unsafe = unsafeKey(map)
  if (unsafe) return { ok: false, id, reason: `field name ${JSON.stringify(unsafe)} is not allowed` }
  return checkRecord(store.schema, id, yMapToRecord(map), storedSchema)
}

function unsafeKey(map: Y.Map<unknown>): string | undefined {
  for (const [key, value] of map.entries()) {
    if (UNSAFE_KEYS.has(key)) return key
    if (value instanceof Y.Map) {
      const nested = unsafeKey(value)
      if (nested) return nested
    }
  }
  return undefined
}

const TYPE_ORDER = ['document', 'page', 'user', 'asset', 'shape', 'binding']

/** Position of a record type in the order records are put into the store. */
function typeRank(typeName: string): number {
  const rank = TYPE_ORDER.indexOf(typeName)
  return rank === -1 ? TYPE_ORDER.length : rank
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Writes the difference between `from` and `to` (a local update) into the
 * document, field by field and, for props/meta, key by key. Diffing against
 * the previous local value rather than against the document is what keeps a
 * concurrent remote change to another field intact.
 */
export function patchRecord(records: Y.Map<Y.Map<unknown>>, from: TLRecord, to: TLRecord): void {
  const existing = records.get(to.id)
  if (!(existing instanceof Y.Map)) {
    // Deleted remotely while we edited it: the edit brings it back, whole.
    putRecord(records, to as unknown as PlainRecord)
    return
  }
  const before = from as unknown as Record<string, unknown>
  const after = to as unknown as Record<string, unknown>
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[field]
    const b = after[field]
    if (jsonEqual(a, b)) continue
    if (b === undefined) {
      existing.delete(field)
      continue
    }
    const nested = existing.get(field)
    if ((field === 'props' || field === 'meta') && nested instanceof Y.Map && isPlainObject(b)) {
      const aObj = isPlainObject(a) ? a : {}
      for (const key of new Set([...Object.keys(aObj), ...Object.keys(b)])) {
        if (jsonEqual(aObj[key], b[key])) continue
        if (b[key] === undefined) nested.delete(key)
        else nested.set(key, b[key])
      }
    } else if (field === 'props' || field === 'meta') {
      const map = new Y.Map<unknown>()
      if (isPlainObject(b)) for (const [key, value] of Object.entries(b)) if (value !== undefined) map.set(key, value)
      existing.set(field, map)
    } else {
      existing.set(field, b)
    }
  }
}

/**
 * Loads the document's records into `store` and keeps the two in sync until
 * disposed. Call it once the document holds the board (after the provider's
 * first sync, or after IndexedDB loaded it when offline), and only when
 * `compareSchema` says the stored schema is not newer than ours.
 */
export function bindStore(store: TLStore, doc: Y.Doc, options: BindStoreOptions = {}): StoreBinding {
  const logger = options.logger ?? console
  const accepts = options.accepts ?? (() => true)
  const origin = { binding: 'tldraw-store' }
  const records = getRecordsMap(doc)
  const meta = getMetaMap(doc)
  let disposed = false

  const relation = compareSchema(store.schema, meta.get(SCHEMA_KEY))
  let storedSchema: SerializedSchema | undefined = relation.kind === 'older' ? relation.schema : undefined

  /** Valid records the store refused (see applyFromDoc); retried with the next remote change. */
  const deferred = new Set<string>()

  /** Brings the store in line with the document for the given record ids. */
  function applyFromDoc(ids: Iterable<string>): number {
    const puts: TLRecord[] = []
    const removals: TLRecord['id'][] = []
    let skipped = 0
    for (const id of ids) {
      const entry = records.get(id)
      if (entry === undefined) {
        // Gone from this document; a record that now lives in the other one (revealed) stays.
        const current = store.get(id as TLRecord['id'])
        if (current && accepts(current)) removals.push(id as TLRecord['id'])
        continue
      }
      const decoded = decodeRecord(store, id, entry, storedSchema)
      if (!decoded.ok) {
        skipped++
        logger.warn(`[sync] skipped record ${decoded.id}: ${decoded.reason}`)
        continue
      }
      const current = store.get(decoded.record.id)
      if (!current || !jsonEqual(current, decoded.record)) puts.push(decoded.record)
    }
    if (puts.length === 0 && removals.length === 0) return skipped
    // Containers before what they contain, bindings after both of the shapes they join:
    // tldraw's side effects look those up while the batch is applied.
    puts.sort((a, b) => typeRank(a.typeName) - typeRank(b.typeName))
    try {
      store.mergeRemoteChanges(() => {
        if (removals.length) store.remove(removals)
        if (puts.length) store.put(puts)
      })
    } catch (error) {
      // Validation passed, yet the store refused the batch (e.g. a side effect threw).
      // Retry one by one so a single bad record cannot hold back the others.
      logger.warn(`[sync] batch from document failed (${errorMessage(error)}); applying records one by one`)
      for (const id of removals) tryMerge(() => store.remove([id]), id)
      // Two passes: a record refused because another one was missing gets a second chance.
      const refused = puts.filter((record) => !tryMerge(() => store.put([record]), record.id, false))
      // Still refused: valid, but perhaps waiting for a record a later update brings. Try again then.
      for (const record of refused) if (!tryMerge(() => store.put([record]), record.id)) deferred.add(record.id)
    }
    return skipped
  }

  /** Applies one change as remote; false (and a warning, if `warn`) when the store refuses it. */
  function tryMerge(fn: () => void, id: string, warn = true): boolean {
    try {
      store.mergeRemoteChanges(fn)
      return true
    } catch (error) {
      if (warn) logger.warn(`[sync] skipped record ${id}: ${errorMessage(error)}`)
      return false
    }
  }

  const skippedOnLoad = applyFromDoc(Array.from(records.keys()))

  const stopListening = store.listen(
    ({ changes }) => {
      if (disposed) return
      doc.transact(() => {
        for (const record of Object.values(changes.added)) if (accepts(record)) putRecord(records, record as unknown as PlainRecord)
        for (const [from, to] of Object.values(changes.updated)) if (accepts(to)) patchRecord(records, from, to)
        for (const record of Object.values(changes.removed)) if (accepts(record)) removeRecord(records, record.id)
      }, origin)
    },
    { source: 'user', scope: 'document' },
  )

  const onRecordsChanged = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    if (disposed || transaction.origin === origin) return
    // Local edits the store has not handed to its listeners yet (they are batched per
    // animation frame) go into the document first; otherwise the records we are about
    // to read would lack them and overwrite them in the store.
    store._flushHistory()
    const ids = new Set<string>(deferred)
    deferred.clear()
    for (const event of events) {
      if (event.target === records) for (const key of event.keys.keys()) ids.add(key)
      else if (typeof event.path[0] === 'string') ids.add(event.path[0])
    }
    applyFromDoc(ids)
  }
  records.observeDeep(onRecordsChanged)

  const onMetaChanged = (event: Y.YMapEvent<unknown>) => {
    if (disposed || !event.keysChanged.has(SCHEMA_KEY)) return
    const next = compareSchema(store.schema, meta.get(SCHEMA_KEY))
    if (next.kind === 'newer' || next.kind === 'invalid') {
      dispose()
      options.onIncompatible?.(next)
    } else {
      storedSchema = next.kind === 'older' ? next.schema : undefined
    }
  }
  meta.observe(onMetaChanged)

  function dispose() {
    if (disposed) return
    disposed = true
    stopListening()
    records.unobserveDeep(onRecordsChanged)
    meta.unobserve(onMetaChanged)
  }

  return { origin, skippedOnLoad, dispose }
}

/**
 * Rewrites a document stored under an older tldraw schema into the current
 * one (records migrated up, only changed fields written, schema stamped), so
 * every client reads and writes one format. Returns the number of records that
 * could not be migrated and were left as they were.
 */
export function upgradeDocument(store: TLStore, doc: Y.Doc, stored: SerializedSchema, origin: unknown): number {
  const records = getRecordsMap(doc)
  const raw: Record<string, TLRecord> = {}
  for (const [id, map] of records.entries()) {
    if (map instanceof Y.Map) raw[id] = yMapToRecord(map) as unknown as TLRecord
  }
  let migrated: Record<string, TLRecord> | undefined
  let failures = 0
  try {
    const result = store.schema.migrateStoreSnapshot({ schema: stored, store: raw } as never)
    if (result.type === 'success') migrated = result.value as Record<string, TLRecord>
  } catch {
    migrated = undefined
  }
  if (!migrated) {
    // One broken record must not block the board: migrate record by record instead.
    migrated = {}
    for (const [id, record] of Object.entries(raw)) {
      try {
        const result = store.schema.migratePersistedRecord(record, stored, 'up')
        if (result.type === 'success') migrated[id] = result.value
        else failures++
      } catch {
        failures++
      }
    }
  }
  const next = migrated
  doc.transact(() => {
    for (const record of Object.values(next)) putRecord(records, record as unknown as PlainRecord)
    getMetaMap(doc).set(SCHEMA_KEY, store.schema.serialize())
  }, origin)
  return failures
}
