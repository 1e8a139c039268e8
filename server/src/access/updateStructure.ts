/**
 * What an incoming Yjs update would do to a board document, worked out from
 * the decoded update and the document BEFORE anything is applied.
 *
 * A board document has a fixed shape (shared/documentLayout.ts):
 *
 *   root maps              tl_records, plus flat maps of JSON values (tl_meta, session, glossary)
 *   tl_records[id]         a Y.Map: one tldraw record
 *   record[field]          a JSON value; 'props' and 'meta' are Y.Maps
 *   props[key], meta[key]  a JSON value
 *
 * Nothing an honest client sends goes deeper or elsewhere, so anything that
 * does is refused whole before Yjs sees it. That matters beyond tidiness: a
 * chain of a few thousand nested Y.Maps overflows Yjs's recursive garbage
 * collection when it is deleted, leaving the server's copy unable to take any
 * change and its snapshot unloadable. JSON values are bounded in depth too.
 *
 * The result also names what the update touches (records by id, keys of the
 * flat roots), so the rules can take a "before" copy of exactly those and
 * judge the "after" (documentRules.ts).
 */
import * as Y from 'yjs'
import { UNSAFE_KEYS } from '../../../shared/validation/records'
import { jsonDepth } from '../../../shared/validation/richText'

type Decoded = ReturnType<typeof Y.decodeUpdate>

/** How a root map of the document is laid out. */
export type RootLayout = 'records' | 'values'

/** Deepest JSON value accepted anywhere in the document. */
export const MAX_VALUE_DEPTH = 64
/** Longest key (record id, field, props/meta key) accepted. */
export const MAX_KEY_LENGTH = 256

/** What an update touches, once it is known to fit the layout. */
export interface UpdateTouches {
  /** Ids of records the update creates, changes or deletes. */
  records: Set<string>
  /** Keys of the flat roots the update sets or deletes, per root. */
  values: Map<string, Set<string>>
}

export type UpdateStructure = { ok: true; touches: UpdateTouches } | { ok: false; reason: string }

/** Where an item lives. `dead`: under a deleted parent, so Yjs drops it on arrival. */
type Container =
  | { kind: 'root'; name: string }
  | { kind: 'record'; id: string }
  | { kind: 'nested'; id: string }
  | { kind: 'dead' }

class Refused extends Error {}

/** Levels of parents inside one update that an honest client can send: props in a record in the records map. */
const MAX_PARENT_CHAIN = 4

const idKey = (client: number, clock: number) => `${client}:${clock}`

/** The update's own structs per client, sorted by clock, for lookups by id. */
function indexStructs(decoded: Decoded): Map<number, (Y.Item | Y.GC)[]> {
  const byClient = new Map<number, (Y.Item | Y.GC)[]>()
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    let list = byClient.get(struct.id.client)
    if (!list) byClient.set(struct.id.client, (list = []))
    list.push(struct as Y.Item | Y.GC)
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  return byClient
}

function findIn(list: (Y.Item | Y.GC)[] | undefined, clock: number): Y.Item | Y.GC | undefined {
  if (!list) return undefined
  let lo = 0
  let hi = list.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const struct = list[mid]
    if (clock < struct.id.clock) hi = mid - 1
    else if (clock >= struct.id.clock + struct.length) lo = mid + 1
    else return struct
  }
  return undefined
}

/**
 * Checks `decoded` against the layout and lists what it touches. Call after
 * `unknownReference` has confirmed every reference is to the document or the
 * update itself.
 */
export function analyseUpdate(doc: Y.Doc, decoded: Decoded, roots: Record<string, RootLayout>): UpdateStructure {
  try {
    return { ok: true, touches: analyse(doc, decoded, roots) }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message }
    throw error
  }
}

function analyse(doc: Y.Doc, decoded: Decoded, roots: Record<string, RootLayout>): UpdateTouches {
  const own = indexStructs(decoded)
  const touches: UpdateTouches = { records: new Set(), values: new Map() }
  /** Container of each of the update's own items (by id), once resolved. */
  const resolved = new Map<string, Container>()
  const rootNames = new Map<unknown, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)

  const touchValue = (root: string, key: string) => {
    let keys = touches.values.get(root)
    if (!keys) touches.values.set(root, (keys = new Set()))
    keys.add(key)
  }

  /** The container of a type that already exists in the document. */
  const containerOfType = (type: Y.AbstractType<unknown>, depth = 0): Container => {
    if (depth > MAX_PARENT_CHAIN) throw new Refused('an item under a type nested deeper than the layout allows')
    const item = type._item
    if (!item) {
      const name = rootNames.get(type)
      if (name === undefined) throw new Refused('an item under a type that is not a root of this document')
      return { kind: 'root', name }
    }
    if (item.deleted) return { kind: 'dead' }
    const parent = containerOfType(item.parent as Y.AbstractType<unknown>, depth + 1)
    if (parent.kind === 'root' && roots[parent.name] === 'records') return { kind: 'record', id: item.parentSub! }
    if (parent.kind === 'record') return { kind: 'nested', id: parent.id }
    if (parent.kind === 'dead') return parent
    // The document itself never holds deeper types (nothing could have put them there).
    throw new Refused('an item under a type nested deeper than the layout allows')
  }

  /** The container a new type (an item with ContentType) opens, from the container it sits in. */
  const openedBy = (item: Y.Item, at: Container): Container => {
    if (at.kind === 'dead') return at
    if (item.deleted || !(item.content instanceof Y.ContentType)) return { kind: 'dead' }
    if (at.kind === 'root') return { kind: 'record', id: item.parentSub! }
    if (at.kind === 'record') return { kind: 'nested', id: at.id }
    throw new Refused('a type nested deeper than the layout allows')
  }

  /** The container of an existing struct as a parent: the type its content is, or dead. */
  const typeFromDoc = (id: Y.ID): Container => {
    const struct = Y.getItem(doc.store, id)
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) return { kind: 'dead' }
    if (struct.deleted) return { kind: 'dead' }
    return containerOfType(struct.content.type as Y.AbstractType<unknown>)
  }

  const inDoc = (id: Y.ID) => id.clock < Y.getState(doc.store, id.client)

  /**
   * Walks left along an item's neighbours (iteratively: an update's items may
   * chain through each other's origins) until an item with a known parent, and
   * resolves that parent. Parents inside the update are resolved first, which
   * recurses once per level of nesting: `depth` stops a crafted chain of
   * thousands of levels long before the stack could.
   */
  const containerOf = (start: Y.Item, depth: number): Container => {
    if (depth > MAX_PARENT_CHAIN) throw new Refused('types nested deeper than the layout allows')
    const chain: Y.Item[] = []
    let item: Y.Item = start
    let found: Container | undefined
    let key: string | null = null
    for (;;) {
      if (chain.length > decoded.structs.length) throw new Refused('items whose neighbours form a cycle')
      const cached = resolved.get(idKey(item.id.client, item.id.clock))
      if (cached) {
        found = cached
        key = item.parentSub
        break
      }
      chain.push(item)
      const parent = item.parent as Y.ID | string | null
      if (typeof parent === 'string' || parent instanceof Y.ID) {
        key = item.parentSub
        if (typeof parent === 'string') found = { kind: 'root', name: parent }
        else if (inDoc(parent)) found = typeFromDoc(parent)
        else {
          const owner = findIn(own.get(parent.client), parent.clock)
          if (!(owner instanceof Y.Item) || owner.id.clock !== parent.clock) found = { kind: 'dead' }
          else found = openedBy(owner, resolved.get(idKey(owner.id.client, owner.id.clock)) ?? containerOf(owner, depth + 1))
        }
        break
      }
      // No parent written: Yjs takes it (and the key) from the left neighbour (origin), else the right one.
      const neighbour = item.origin ?? item.rightOrigin
      if (!neighbour) throw new Refused('an item with neither a parent nor a neighbour')
      if (inDoc(neighbour)) {
        const struct = Y.getItem(doc.store, neighbour)
        if (struct instanceof Y.Item && struct.parent) {
          found = containerOfType(struct.parent as Y.AbstractType<unknown>)
          key = struct.parentSub
        } else found = { kind: 'dead' }
        break
      }
      const next = findIn(own.get(neighbour.client), neighbour.clock)
      if (!(next instanceof Y.Item)) {
        found = { kind: 'dead' }
        break
      }
      item = next
    }
    for (const link of chain) {
      link.parentSub ??= key
      resolved.set(idKey(link.id.client, link.id.clock), found)
    }
    return found
  }

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const at = resolved.get(idKey(struct.id.client, struct.id.clock)) ?? containerOf(struct, 0)
    checkItem(struct, at, roots, touches, touchValue)
  }

  // Deletions of what the document already has.
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    for (const { clock, len } of ranges) {
      if (clock >= Y.getState(doc.store, client)) continue
      let index = Y.findIndexSS(structs, clock)
      for (; index < structs.length && structs[index].id.clock < clock + len; index++) {
        const struct = structs[index]
        if (!(struct instanceof Y.Item) || struct.deleted || !struct.parent) continue
        const at = containerOfType(struct.parent as Y.AbstractType<unknown>)
        const key = struct.parentSub
        if (key === null) continue
        if (at.kind === 'record' || at.kind === 'nested') touches.records.add(at.id)
        else if (at.kind === 'root' && roots[at.name] === 'records') touches.records.add(key)
        else if (at.kind === 'root' && roots[at.name] === 'values') touchValue(at.name, key)
      }
    }
  }
  return touches
}

function checkItem(
  item: Y.Item,
  at: Container,
  roots: Record<string, RootLayout>,
  touches: UpdateTouches,
  touchValue: (root: string, key: string) => void,
): void {
  const content = item.content
  if (content instanceof Y.ContentDoc) throw new Refused('a subdocument')
  if (at.kind === 'dead') {
    // Yjs drops it on arrival; it may still not open a type deeper than a record could.
    return
  }
  const key = item.parentSub
  if (key === null) throw new Refused('a list item where the layout has only maps')
  if (key.length > MAX_KEY_LENGTH) throw new Refused(`a key longer than ${MAX_KEY_LENGTH} characters`)
  // Copied onto a plain object (every reader does), these would set its prototype instead of a key.
  if (UNSAFE_KEYS.has(key)) throw new Refused(`the key "${key}"`)
  if (content instanceof Y.ContentDeleted) {
    if (at.kind === 'root' && roots[at.name] === 'values') touchValue(at.name, key)
    else if (at.kind === 'root' && roots[at.name] === 'records') touches.records.add(key)
    else if (at.kind !== 'root') touches.records.add(at.id)
    return
  }
  if (at.kind === 'root') {
    const layout = roots[at.name]
    if (!layout) throw new Refused(`content in the root "${at.name.slice(0, 40)}", which this document does not have`)
    if (layout === 'records') {
      if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) throw new Refused(`record ${key.slice(0, 80)} is not a map`)
      touches.records.add(key)
      return
    }
    checkValue(content, `${at.name}.${key}`)
    touchValue(at.name, key)
    return
  }
  touches.records.add(at.id)
  if (at.kind === 'record' && (key === 'props' || key === 'meta')) {
    if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) throw new Refused(`${key} of ${at.id.slice(0, 80)} is not a map`)
    return
  }
  checkValue(content, `${at.id.slice(0, 80)}.${key}`)
}

function checkValue(content: Y.Item["content"], where: string): void {
  if (!(content instanceof Y.ContentAny)) throw new Refused(`${where} holds ${content.constructor.name}, not a JSON value`)
  if (content.arr.length !== 1) throw new Refused(`${where} holds ${content.arr.length} values`)
  if (jsonDepth(content.arr[0], MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) throw new Refused(`${where} is nested deeper than ${MAX_VALUE_DEPTH}`)
}
