/**
 * The one check a board record passes before anyone uses it: on the server
 * before a change is stored or relayed (server/src/access/documentRules.ts),
 * in the browser before a peer's record enters the tldraw store
 * (client/src/sync/bindStore.ts), and before the server itself moves records
 * (private mode's reveal). A record is usable when it is a document-scoped
 * tldraw record of the board's schema (custom shapes included), migrated up
 * from the schema the document was written with, that tldraw's validators
 * accept, with rich text the editor can render.
 */
import type { SerializedSchema, StoreSchema } from '@tldraw/store'
import type { TLRecord, TLStoreProps } from '@tldraw/tlschema'
import { richTextProblem } from './richText'

export type BoardStoreSchema = StoreSchema<TLRecord, TLStoreProps>

/** A record read from a document: usable, or refused with a reason. */
export type RecordCheck = { ok: true; record: TLRecord } | { ok: false; id: string; reason: string }

/**
 * Largest record, as JSON. A note with the most text it may hold is ~20 KB; a
 * radar with a thousand respondents' scores ~80 KB. Beyond this a single
 * record (a huge frame name, a blob in meta) is what every browser must load
 * and lay out.
 */
export const MAX_RECORD_JSON_CHARS = 256 * 1024

/** Keys that would reach an object's prototype when copied onto a plain object. */
export const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unsafeKey(record: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(record)) {
    if (UNSAFE_KEYS.has(key)) return key
    if ((key === 'props' || key === 'meta') && isPlainObject(value)) {
      const nested = Object.keys(value).find((inner) => UNSAFE_KEYS.has(inner))
      if (nested) return nested
    }
  }
  return undefined
}

/**
 * Checks the record stored under `id` (as plain JSON, e.g. `yMapToRecord`),
 * written under `storedSchema` (undefined: the current schema).
 */
export function checkRecord(schema: BoardStoreSchema, id: string, raw: Record<string, unknown>, storedSchema?: SerializedSchema): RecordCheck {
  const unsafe = unsafeKey(raw)
  if (unsafe) return { ok: false, id, reason: `field name ${JSON.stringify(unsafe)} is not allowed` }
  if (raw.id !== id) return { ok: false, id, reason: `id field ${JSON.stringify(raw.id)} does not match its key` }
  const typeName = raw.typeName
  const types = schema.types as Record<string, (typeof schema.types)[keyof typeof schema.types]>
  const type = typeof typeName === 'string' && Object.hasOwn(types, typeName) ? types[typeName] : undefined
  if (!type) return { ok: false, id, reason: `unknown record type ${JSON.stringify(typeName)}` }
  // Session and presence records are per-browser; a peer has no business putting them in a document.
  if (type.scope !== 'document') return { ok: false, id, reason: `record type ${type.typeName} is not document-scoped` }
  let candidate: unknown = raw
  if (storedSchema) {
    try {
      const migrated = schema.migratePersistedRecord(raw as unknown as TLRecord, storedSchema, 'up')
      if (migrated.type === 'error') return { ok: false, id, reason: `migration failed: ${migrated.reason}` }
      candidate = migrated.value
    } catch (error) {
      return { ok: false, id, reason: `migration failed: ${errorMessage(error)}` }
    }
  }
  const size = JSON.stringify(raw).length
  if (size > MAX_RECORD_JSON_CHARS) return { ok: false, id, reason: `record is ${size} characters as JSON, more than ${MAX_RECORD_JSON_CHARS}` }
  let record: TLRecord
  try {
    record = type.validate(candidate) as TLRecord
  } catch (error) {
    return { ok: false, id, reason: errorMessage(error) }
  }
  if (record.typeName === 'shape') {
    const props = record.props as Record<string, unknown>
    if ('richText' in props) {
      const problem = richTextProblem(props.richText)
      if (problem) return { ok: false, id, reason: problem }
    }
  }
  return { ok: true, record }
}
