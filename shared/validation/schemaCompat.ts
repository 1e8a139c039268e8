/**
 * Compares the tldraw schema stored in a board document with the one this
 * code was built with (client and server share it: the server only lets a
 * document's schema be set to its own).
 */
import type { SerializedSchema, StoreSchema } from '@tldraw/store'
import type { TLRecord, TLStoreProps } from '@tldraw/tlschema'

/** How the stored schema relates to ours. */
export type SchemaRelation =
  | { kind: 'same' }
  /** Stored records need migrating up before we can use them. */
  | { kind: 'older'; schema: SerializedSchema }
  /** Written by a newer client: we must not read or write it. */
  | { kind: 'newer'; reason: string }
  /** Not a schema we can make sense of. */
  | { kind: 'invalid'; reason: string }

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Narrows an unknown value from the document to a serialized schema (v1 or v2). */
export function parseSerializedSchema(value: unknown): SerializedSchema | undefined {
  if (!isPlainObject(value) || typeof value.schemaVersion !== 'number') return undefined
  if (value.schemaVersion >= 2) {
    if (!isPlainObject(value.sequences)) return undefined
    if (!Object.values(value.sequences).every((v) => typeof v === 'number')) return undefined
  }
  return value as unknown as SerializedSchema
}

/**
 * Classifies `stored` (the document's `tl_meta.schema`) against `schema`.
 * A missing schema counts as ours: the server writes it when seeding a board.
 */
export function compareSchema(schema: StoreSchema<TLRecord, TLStoreProps>, stored: unknown): SchemaRelation {
  if (stored === undefined || stored === null) return { kind: 'same' }
  const parsed = parseSerializedSchema(stored)
  if (!parsed) return { kind: 'invalid', reason: 'stored schema is not a tldraw schema' }
  const current = schema.serialize()
  if (parsed.schemaVersion > current.schemaVersion) {
    return { kind: 'newer', reason: `schema format ${parsed.schemaVersion} > ${current.schemaVersion}` }
  }
  if (parsed.schemaVersion >= 2 && 'sequences' in parsed) {
    let older = false
    for (const [sequence, version] of Object.entries(parsed.sequences)) {
      const ours = current.sequences[sequence]
      // A sequence we don't know (a shape type from a newer client or a plug-in) cannot be read.
      if (ours === undefined) return { kind: 'newer', reason: `unknown migration sequence ${sequence}` }
      if (version > ours) return { kind: 'newer', reason: `${sequence} ${version} > ${ours}` }
      if (version < ours) older = true
    }
    // Sequences we have that the stored schema lacks were added since: their migrations run from 0.
    if (Object.keys(current.sequences).some((s) => !(s in parsed.sequences))) older = true
    return older ? { kind: 'older', schema: parsed } : { kind: 'same' }
  }
  // Legacy v1 schema: let tldraw decide whether it can migrate it.
  const migrations = schema.getMigrationsSince(parsed)
  if (!migrations.ok) return { kind: 'invalid', reason: String(migrations.error) }
  return { kind: 'older', schema: parsed }
}
