/**
 * The layout of a board's Yjs document, shared by the client binding and the
 * server (which seeds boards and may inspect records). See docs/architecture.md.
 *
 *   doc.getMap('tl_records')   recordId -> Y.Map   one Y.Map per tldraw record
 *       record Y.Map           field -> JSON value, except the fields in NESTED_FIELDS
 *       record.get('props')    Y.Map  propName -> JSON value
 *       record.get('meta')     Y.Map  key -> JSON value
 *   doc.getMap('tl_meta')      'schema' -> tldraw SerializedSchema the records were written with
 *
 * Each field is its own last-writer-wins register, so two people changing
 * different properties of one shape (one moves a note, x/y; another recolours
 * it, props.color) both keep their change. Presence (cursors, names, selection)
 * lives in y-protocols awareness and is never stored in the document.
 */
import * as Y from 'yjs'

export const RECORDS_KEY = 'tl_records'
export const META_KEY = 'tl_meta'
/** Key in the meta map holding the tldraw schema the records follow. */
export const SCHEMA_KEY = 'schema'

/**
 * Key of the facilitator-only session state (timer, private mode, voting ...):
 * a flat map of JSON values that only facilitators may change; the server
 * undoes anyone else's change to it.
 */
export const SESSION_KEY = 'session'

/** Session key: true when viewers' cursors and names are shown to everyone (default hidden). */
export const VIEWER_PRESENCE = 'viewerPresence'

/**
 * `meta` key marking a record locked by a facilitator: only facilitators may
 * change or delete it, only they may set or clear the mark, and nobody else
 * may put a new shape inside it. Set together with tldraw's own `isLocked`.
 */
export const FACILITATOR_LOCK = 'facilitatorLock'

/** True for a record a facilitator locked (see FACILITATOR_LOCK). */
export function isFacilitatorLocked(record: object): boolean {
  const meta = (record as { meta?: unknown }).meta
  return typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[FACILITATOR_LOCK] === true
}

/** `meta` key naming the template a shape was placed by. */
export const TEMPLATE_META = 'template'

/**
 * True for the locked structure of a template (its frames, headings, prompts):
 * placed by a template (`meta.template`) and locked (tldraw's `isLocked`). Only
 * facilitators may change, unlock or delete it; unlike a facilitator-locked
 * frame, anyone may put notes inside it.
 */
export function isStructureLocked(record: object): boolean {
  const { meta, isLocked } = record as { meta?: unknown; isLocked?: unknown }
  return isLocked === true && typeof meta === 'object' && meta !== null && typeof (meta as Record<string, unknown>)[TEMPLATE_META] === 'string'
}

/** Record fields stored as nested maps so their keys merge independently. */
export const NESTED_FIELDS = ['props', 'meta'] as const

/** A tldraw record as plain JSON: every record has an id and a typeName. */
export interface PlainRecord {
  id: string
  typeName: string
  [field: string]: unknown
}

/** The map of all records in a board document. */
export function getRecordsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(RECORDS_KEY)
}

/** The facilitator-only session state. */
export function getSessionMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SESSION_KEY)
}

/** The map of document-level metadata (schema version). */
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_KEY)
}

function isNested(field: string): boolean {
  return (NESTED_FIELDS as readonly string[]).includes(field)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Structural equality for JSON values (records are JSON by tldraw's contract). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (Array.isArray(b)) return false
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = Object.keys(ao)
  if (keys.length !== Object.keys(bo).length) return false
  return keys.every((key) => key in bo && jsonEqual(ao[key], bo[key]))
}

function toNestedMap(value: unknown): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) map.set(key, inner)
  }
  return map
}

/** Builds the Y.Map for a record that is not in the document yet. */
export function recordToYMap(record: PlainRecord): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue
    map.set(field, isNested(field) ? toNestedMap(value) : value)
  }
  return map
}

/** Reads a record back to plain JSON (the inverse of recordToYMap). */
export function yMapToRecord(map: Y.Map<unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const [field, value] of map.entries()) {
    record[field] = value instanceof Y.Map ? value.toJSON() : value
  }
  return record
}

function patchMap(map: Y.Map<unknown>, next: Record<string, unknown>): void {
  for (const key of Array.from(map.keys())) if (!(key in next) || next[key] === undefined) map.delete(key)
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue
    if (!jsonEqual(map.get(key), value)) map.set(key, value)
  }
}

/**
 * Writes `record` into the document, touching only the fields (and nested
 * keys) whose value differs from what is stored, so concurrent changes to
 * other fields are not overwritten. Call inside a transaction.
 */
export function putRecord(records: Y.Map<Y.Map<unknown>>, record: PlainRecord): void {
  const existing = records.get(record.id)
  if (!(existing instanceof Y.Map)) {
    records.set(record.id, recordToYMap(record))
    return
  }
  for (const key of Array.from(existing.keys())) if (!(key in record)) existing.delete(key)
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) {
      existing.delete(field)
      continue
    }
    const current = existing.get(field)
    if (isNested(field)) {
      if (current instanceof Y.Map && isPlainObject(value)) patchMap(current, value)
      else existing.set(field, toNestedMap(value))
    } else if (!jsonEqual(current, value)) {
      existing.set(field, value)
    }
  }
}

/** Removes a record from the document. */
export function removeRecord(records: Y.Map<Y.Map<unknown>>, id: string): void {
  records.delete(id)
}

/**
 * Fills an empty document with records and the schema they follow. The server
 * does this when a board is created, so two first visitors never race to seed it.
 */
export function seedDocument(doc: Y.Doc, schema: unknown, records: PlainRecord[]): void {
  doc.transact(() => {
    getMetaMap(doc).set(SCHEMA_KEY, schema)
    const map = getRecordsMap(doc)
    for (const record of records) putRecord(map, record)
  })
}
