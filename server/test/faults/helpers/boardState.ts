/**
 * What the fault tests compare: the board as a user would see it (records
 * as JSON, keys sorted so two equal boards print the same), whether one
 * replica holds every edit another has seen, and whether every record still
 * has the shape the client binding expects (shared/documentLayout.ts).
 */
import * as Y from 'yjs'
import { getRecordsMap, type PlainRecord } from '../../../../shared/documentLayout'

/**
 * JSON with object keys sorted, so equal values give equal strings. Values
 * JSON cannot hold (a hostile client can store them: bigint, NaN, -0,
 * undefined, bytes, subdocuments) are spelled out rather than lost or thrown on.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(toCanonical(value))
}

function toCanonical(value: unknown): unknown {
  if (value === undefined) return { $undefined: true }
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: Object.is(value, -0) ? '-0' : String(value) }
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Uint8Array) return { $bytes: Array.from(value) }
  if (value instanceof Y.Doc) return { $subdoc: value.guid }
  if (value instanceof Y.AbstractType) return toCanonical(value.toJSON())
  if (Array.isArray(value)) return value.map(toCanonical)
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = toCanonical((value as Record<string, unknown>)[key])
  return sorted
}

/** The records map of a board as canonical JSON (what every participant should agree on). */
export function recordsJson(doc: Y.Doc): string {
  return canonicalJson(getRecordsMap(doc).toJSON())
}

/**
 * Clients whose edits `have` is missing relative to `seen` (empty when `have`
 * contains every update `seen` had): compares Yjs state vectors clock by clock.
 */
export function missingFrom(have: Uint8Array, seen: Uint8Array): { client: number; have: number; seen: number }[] {
  const haveMap = Y.decodeStateVector(have)
  const missing: { client: number; have: number; seen: number }[] = []
  for (const [client, clock] of Y.decodeStateVector(seen)) {
    const got = haveMap.get(client) ?? 0
    if (got < clock) missing.push({ client, have: got, seen: clock })
  }
  return missing
}

/**
 * Records that do not follow the documented layout: a Y.Map stored under its
 * own id with a string typeName, and props/meta (when present) as Y.Maps.
 */
export function layoutProblems(doc: Y.Doc): string[] {
  const problems: string[] = []
  for (const [key, value] of getRecordsMap(doc).entries()) {
    if (!(value instanceof Y.Map)) {
      problems.push(`${key}: not a Y.Map`)
      continue
    }
    if (value.get('id') !== key) problems.push(`${key}: id is ${JSON.stringify(value.get('id'))}`)
    if (typeof value.get('typeName') !== 'string') problems.push(`${key}: typeName is ${JSON.stringify(value.get('typeName'))}`)
    for (const nested of ['props', 'meta']) {
      if (value.has(nested) && !(value.get(nested) instanceof Y.Map)) problems.push(`${key}: ${nested} is not a Y.Map`)
    }
  }
  return problems
}

/** A tldraw note shape on the first page, valid for @tldraw/tlschema 5.4. */
export function noteRecord(id: string, x: number, y: number, text: string, color = 'yellow'): PlainRecord {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color,
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 0,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
      scale: 1,
      textLastEditedBy: null,
    },
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
