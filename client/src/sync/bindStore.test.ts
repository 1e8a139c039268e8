import {
  createShapeId,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  DocumentRecordType,
  HistoryManager,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLNoteShape,
  type TLPageId,
  type TLRecord,
  type TLShapeId,
  type TLStore,
} from 'tldraw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  getMetaMap,
  getRecordsMap,
  putRecord,
  recordToYMap,
  SCHEMA_KEY,
  seedDocument,
  type PlainRecord,
} from '../../../shared/documentLayout'
import { bindStore, upgradeDocument, type StoreBinding } from './bindStore'
import { compareSchema } from '../../../shared/validation/schemaCompat'

// tldraw hands store changes to listeners on the next animation frame in a browser but
// synchronously under NODE_ENV=test. Force the browser behaviour, with frames that only
// pass when a test says so, so the tests see the same batching (and races) as users do.
;(globalThis as Record<string, unknown>).__FORCE_RAF_IN_TESTS__ = true
const frames: FrameRequestCallback[] = []
globalThis.requestAnimationFrame = (cb: FrameRequestCallback) => frames.push(cb)
globalThis.cancelAnimationFrame = () => {}

const PAGE_ID = 'page:page' as TLPageId
const NET = 'network'

function newStore(): TLStore {
  return createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
}

/** What the server writes into a new board. */
function seededDoc(store: TLStore): Y.Doc {
  const doc = new Y.Doc()
  seedDocument(doc, store.schema.serialize(), [
    DocumentRecordType.create({ id: TLDOCUMENT_ID }) as unknown as PlainRecord,
    PageRecordType.create({ id: PAGE_ID, name: 'Page 1', index: 'a1' as never }) as unknown as PlainRecord,
  ])
  return doc
}

const putRecordRaw = (record: TLRecord) => recordToYMap(record as unknown as PlainRecord)

function note(id: string, overrides: Partial<TLNoteShape> = {}): TLNoteShape {
  const store = newStore()
  const shapes = store.schema.types.shape
  return shapes.create({
    id: createShapeId(id),
    type: 'note',
    parentId: PAGE_ID,
    index: 'a1',
    x: 0,
    y: 0,
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: { type: 'doc', content: [{ type: 'paragraph' }] },
      scale: 1,
      textLastEditedBy: null,
    },
    ...overrides,
  } as never) as TLNoteShape
}

/**
 * Two peers, each a store bound to its own Y.Doc, linked by a "network" that
 * can be paused to simulate concurrent, not-yet-delivered edits.
 */
function twoPeers() {
  const storeA = newStore()
  const storeB = newStore()
  const docA = seededDoc(storeA)
  const docB = new Y.Doc()
  Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA), NET)
  const queues: { toA: Uint8Array[]; toB: Uint8Array[] } = { toA: [], toB: [] }
  let connected = true
  docA.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === NET) return
    if (connected) Y.applyUpdate(docB, update, NET)
    else queues.toB.push(update)
  })
  docB.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === NET) return
    if (connected) Y.applyUpdate(docA, update, NET)
    else queues.toA.push(update)
  })
  const bindingA = bindStore(storeA, docA)
  const bindingB = bindStore(storeB, docB)
  bindings.push(bindingA, bindingB)
  return {
    storeA,
    storeB,
    docA,
    docB,
    /** Stands in for the animation frame on which tldraw hands changes to listeners. */
    flush() {
      // Twice: a frame on B can deliver a remote change that A's next frame reports.
      for (let i = 0; i < 2; i++) {
        storeA._flushHistory()
        storeB._flushHistory()
      }
    },
    disconnect() {
      connected = false
    },
    reconnect() {
      connected = true
      for (const update of queues.toB.splice(0)) Y.applyUpdate(docB, update, NET)
      for (const update of queues.toA.splice(0)) Y.applyUpdate(docA, update, NET)
    },
  }
}

const bindings: StoreBinding[] = []
afterEach(() => {
  for (const binding of bindings.splice(0)) binding.dispose()
  vi.restoreAllMocks()
})

function documentRecords(store: TLStore): TLRecord[] {
  return Object.values(store.serialize('document')).sort((a, b) => a.id.localeCompare(b.id))
}

describe('bindStore', () => {
  it('loads the seeded records into the store', () => {
    const { storeB } = twoPeers()
    expect(storeB.get(PAGE_ID)?.typeName).toBe('page')
    expect(storeB.get(TLDOCUMENT_ID)?.typeName).toBe('document')
  })

  it('makes two peers converge on creates, updates and deletes', () => {
    const peers = twoPeers()
    peers.storeA.put([note('one', { x: 10, y: 20 })])
    peers.storeB.put([note('two', { x: 30 })])
    peers.flush()
    expect(peers.storeB.get(createShapeId('one'))).toMatchObject({ x: 10, y: 20 })
    expect(peers.storeA.get(createShapeId('two'))).toMatchObject({ x: 30 })

    peers.storeB.update(createShapeId('one'), (r) => ({ ...r, x: 99 }) as never)
    peers.flush()
    expect(peers.storeA.get(createShapeId('one'))).toMatchObject({ x: 99, y: 20 })

    peers.storeA.remove([createShapeId('two')])
    peers.flush()
    expect(peers.storeB.get(createShapeId('two'))).toBeUndefined()
    expect(getRecordsMap(peers.docB).has(createShapeId('two'))).toBe(false)
    expect(documentRecords(peers.storeA)).toEqual(documentRecords(peers.storeB))
  })

  it('keeps both a concurrent move and a concurrent recolour of one note', () => {
    const peers = twoPeers()
    const id = createShapeId('shared')
    peers.storeA.put([note('shared', { x: 0, y: 0 })])
    peers.flush()
    peers.disconnect()
    peers.storeA.update(id, (r) => ({ ...r, x: 150, y: 75 }) as never)
    peers.storeB.update(id, (r) => ({ ...r, props: { ...(r as TLNoteShape).props, color: 'red' } }) as never)
    peers.flush()
    peers.reconnect()
    for (const store of [peers.storeA, peers.storeB]) {
      const shape = store.get(id) as TLNoteShape
      expect(shape.x).toBe(150)
      expect(shape.y).toBe(75)
      expect(shape.props.color).toBe('red')
    }
  })

  it('does not lose a local edit still waiting for the frame when a remote change arrives', () => {
    const peers = twoPeers()
    const id = createShapeId('busy')
    peers.storeA.put([note('busy')])
    peers.flush()
    // A moves the note; tldraw has not told our listener yet (no frame has passed)...
    peers.storeA.update(id, (r) => ({ ...r, x: 42 }) as never)
    // ...when B's recolour of the same note arrives.
    peers.storeB.update(id, (r) => ({ ...r, props: { ...(r as TLNoteShape).props, color: 'blue' } }) as never)
    peers.storeB._flushHistory()
    peers.flush()
    for (const store of [peers.storeA, peers.storeB]) {
      expect(store.get(id)).toMatchObject({ x: 42, props: { color: 'blue' } })
    }
  })

  it('skips an invalid remote record with a warning, applies the valid ones and stays usable', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const peers = twoPeers()
    const records = getRecordsMap(peers.docB)
    const bad = { ...note('bad'), props: { ...note('bad').props, color: 42 } }
    const missingFields = { id: createShapeId('hollow'), typeName: 'shape', type: 'note' }
    peers.docB.transact(() => {
      putRecord(records, bad as unknown as PlainRecord)
      putRecord(records, missingFields)
      putRecord(records, { id: 'widget:1', typeName: 'widget' })
      records.set(createShapeId('sneaky'), putRecordRaw(note('sneaky')))
      // Copied onto a plain object this key would swap its prototype, and tldraw's validator
      // would still accept the record (it checks own keys only).
      records.get(createShapeId('sneaky'))!.set('__proto__', { isLocked: true })
      putRecord(records, note('good', { x: 5 }) as unknown as PlainRecord)
      // tldraw's validator accepts any {type, content}; the editor would crash on an unknown node type.
      const bogus = note('bogus-rich-text') as unknown as PlainRecord
      putRecord(records, { ...bogus, props: { ...(bogus.props as object), richText: { type: 'doc', content: [{ type: 'bogus' }] } } })
    }, 'someone-else')

    expect(peers.storeA.get(createShapeId('good'))).toMatchObject({ x: 5 })
    expect(peers.storeA.get(createShapeId('bad'))).toBeUndefined()
    expect(peers.storeA.get(createShapeId('hollow'))).toBeUndefined()
    const messages = warn.mock.calls.map((call) => String(call[0]))
    expect(messages.some((m) => m.includes(createShapeId('bad')))).toBe(true)
    expect(messages.some((m) => m.includes(createShapeId('hollow')))).toBe(true)
    expect(messages.some((m) => m.includes('widget:1'))).toBe(true)
    expect(peers.storeA.get(createShapeId('sneaky'))).toBeUndefined()
    expect(messages.some((m) => m.includes(createShapeId('sneaky')) && m.includes('__proto__'))).toBe(true)
    expect(peers.storeA.get(createShapeId('bogus-rich-text'))).toBeUndefined()
    expect(messages.some((m) => m.includes(createShapeId('bogus-rich-text')) && m.includes('Unknown node type: bogus'))).toBe(true)

    // Still usable in both directions.
    peers.storeA.put([note('after', { y: 7 })])
    peers.flush()
    expect(peers.storeB.get(createShapeId('after'))).toMatchObject({ y: 7 })
  })

  it('applies a batch the store refuses as a whole record by record, retrying ones that depended on others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const peers = twoPeers()
    // Like tldraw's own side effects, refuse a shape whose parent shape is not there yet.
    peers.storeA.sideEffects.registerBeforeCreateHandler('shape', (shape) => {
      if (shape.parentId.startsWith('shape:') && !peers.storeA.has(shape.parentId as TLShapeId)) {
        throw new Error(`parent ${shape.parentId} missing`)
      }
      return shape
    })
    const records = getRecordsMap(peers.docB)
    peers.docB.transact(() => {
      // Child first, so applying in document order fails on the first record.
      putRecord(records, note('child', { parentId: createShapeId('frame') as never }) as unknown as PlainRecord)
      putRecord(records, note('frame') as unknown as PlainRecord)
      putRecord(records, { ...note('broken'), props: { color: 42 } } as unknown as PlainRecord)
    }, 'someone-else')
    expect(peers.storeA.get(createShapeId('frame'))).toBeDefined()
    expect(peers.storeA.get(createShapeId('child'))).toBeDefined()
    expect(peers.storeA.get(createShapeId('broken'))).toBeUndefined()
    expect(warn.mock.calls.some((call) => String(call[0]).includes('one by one'))).toBe(true)
  })

  it('retries a valid record the store refused once what it needs arrives later', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const peers = twoPeers()
    peers.storeA.sideEffects.registerBeforeCreateHandler('shape', (shape) => {
      if (shape.parentId.startsWith('shape:') && !peers.storeA.has(shape.parentId as TLShapeId)) {
        throw new Error(`parent ${shape.parentId} missing`)
      }
      return shape
    })
    const records = getRecordsMap(peers.docB)
    peers.docB.transact(() => putRecord(records, note('orphan', { parentId: createShapeId('later') as never }) as unknown as PlainRecord), 'b')
    expect(peers.storeA.get(createShapeId('orphan'))).toBeUndefined()
    peers.docB.transact(() => putRecord(records, note('later') as unknown as PlainRecord), 'b')
    expect(peers.storeA.get(createShapeId('later'))).toBeDefined()
    expect(peers.storeA.get(createShapeId('orphan'))).toBeDefined()
  })

  it('keeps the last valid version when a remote update breaks a record', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const peers = twoPeers()
    const id = createShapeId('fragile')
    peers.storeA.put([note('fragile', { x: 3 })])
    peers.flush()
    const props = getRecordsMap(peers.docB).get(id)!.get('props') as Y.Map<unknown>
    peers.docB.transact(() => props.set('color', 42), 'someone-else')
    expect((peers.storeA.get(id) as TLNoteShape).props.color).toBe('yellow')
  })

  it('applies remote changes as remote, so undo history only holds local edits', () => {
    const peers = twoPeers()
    const sources: string[] = []
    const stop = peers.storeA.listen(({ source }) => sources.push(source), { scope: 'document' })
    peers.storeB.put([note('theirs')])
    peers.flush()
    stop()
    expect(sources).toEqual(['remote'])
  })

  it("undo (tldraw's history) reverts only the local user's change, and the undo syncs", () => {
    const peers = twoPeers()
    const history = new HistoryManager({ store: peers.storeA })
    const mine = createShapeId('mine')
    const theirs = createShapeId('theirs')
    peers.storeA.put([note('mine', { x: 1 })])
    peers.flush()
    peers.storeB.put([note('theirs', { x: 2 })])
    peers.flush()
    expect(peers.storeA.get(theirs)).toBeDefined()

    history.undo()
    peers.flush()
    for (const store of [peers.storeA, peers.storeB]) {
      expect(store.get(mine)).toBeUndefined()
      expect(store.get(theirs)).toMatchObject({ x: 2 })
    }
    history.dispose()
  })

  it('never writes session records (camera, instance) into the document', () => {
    const peers = twoPeers()
    peers.storeA.put([note('x')])
    peers.flush()
    const types = new Set(Array.from(getRecordsMap(peers.docA).values()).map((m) => m.get('typeName')))
    expect([...types].sort()).toEqual(['document', 'page', 'shape'])
  })

  it('stops and reports when the document is upgraded by a newer client', () => {
    const store = newStore()
    const doc = seededDoc(store)
    const onIncompatible = vi.fn()
    bindings.push(bindStore(store, doc, { onIncompatible }))
    const newer = structuredClone(store.schema.serialize()) as { sequences: Record<string, number> }
    newer.sequences['com.tldraw.shape'] += 1
    getMetaMap(doc).set(SCHEMA_KEY, newer)
    expect(onIncompatible).toHaveBeenCalledWith(expect.objectContaining({ kind: 'newer' }))
    // No longer bound: local changes stay out of the document.
    store.put([note('late')])
    store._flushHistory()
    expect(getRecordsMap(doc).has(createShapeId('late'))).toBe(false)
  })
})

describe('hostile document shapes', () => {
  it('keeps working when a peer redefines the records as an array and the meta as text', () => {
    const store = newStore()
    const doc = seededDoc(store)
    const rogue = new Y.Doc()
    rogue.getArray('tl_records').push([{ id: 'shape:x', typeName: 'shape' }])
    rogue.getText('tl_meta').insert(0, 'not a map')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(rogue), 'rogue')
    const reader = newStore()
    bindings.push(bindStore(reader, doc))
    expect(reader.get(PAGE_ID)).toBeDefined()
    expect(compareSchema(reader.schema, getMetaMap(doc).get(SCHEMA_KEY)).kind).toBe('same')
  })

  it('loads when the first thing a fresh client receives is such an update', () => {
    const store = newStore()
    const rogue = new Y.Doc()
    rogue.getArray('tl_records').push(['junk'])
    rogue.getText('tl_meta').insert(0, 'junk')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(rogue), 'rogue')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(seededDoc(store)), 'server')
    const reader = newStore()
    bindings.push(bindStore(reader, doc))
    expect(reader.get(PAGE_ID)).toBeDefined()
  })
})

describe('schema compatibility', () => {
  it('classifies same, older, newer and garbage schemas', () => {
    const { schema } = newStore()
    const current = schema.serialize() as { schemaVersion: 2; sequences: Record<string, number> }
    expect(compareSchema(schema, current).kind).toBe('same')
    expect(compareSchema(schema, undefined).kind).toBe('same')
    const older = structuredClone(current)
    older.sequences['com.tldraw.shape.note'] = 1
    expect(compareSchema(schema, older).kind).toBe('older')
    const newer = structuredClone(current)
    newer.sequences['com.tldraw.shape.note'] += 5
    expect(compareSchema(schema, newer).kind).toBe('newer')
    const foreign = structuredClone(current)
    foreign.sequences['com.example.shape.kanban'] = 1
    expect(compareSchema(schema, foreign).kind).toBe('newer')
    expect(compareSchema(schema, 'nope').kind).toBe('invalid')
  })

  it('migrates records written under an older schema when loading and upgrading', () => {
    const store = newStore()
    const doc = seededDoc(store)
    const current = store.schema.serialize() as { schemaVersion: 2; sequences: Record<string, number> }
    const older = structuredClone(current)
    // A document from before the note's `scale` prop existed.
    older.sequences['com.tldraw.shape.note'] = 5
    const legacyRecord = {
      ...note('legacy'),
      props: { color: 'green', size: 'm', font: 'draw', align: 'middle-legacy', verticalAlign: 'middle', growY: 0, url: '', text: 'hola' },
    }
    doc.transact(() => {
      putRecord(getRecordsMap(doc), legacyRecord as unknown as PlainRecord)
      getMetaMap(doc).set(SCHEMA_KEY, older)
    })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const reader = newStore()
    bindings.push(bindStore(reader, doc))
    const loaded = reader.get(createShapeId('legacy')) as TLNoteShape | undefined
    expect(loaded?.props.scale).toBe(1)

    expect(upgradeDocument(store, doc, older as never, 'upgrade')).toBe(0)
    expect(compareSchema(store.schema, getMetaMap(doc).get(SCHEMA_KEY)).kind).toBe('same')
    const upgradedProps = getRecordsMap(doc).get(createShapeId('legacy'))!.get('props') as Y.Map<unknown>
    expect(upgradedProps.get('scale')).toBe(1)
  })
})

describe('bindStore with a private document beside the board (private mode)', () => {
  const isPrivate = (record: TLRecord) => (record as { meta?: Record<string, unknown> }).meta?.private === true

  it('writes private records only to the private document and the rest only to the board, and survives the reveal', () => {
    const store = newStore()
    const board = seededDoc(store)
    const mine = new Y.Doc()
    bindings.push(bindStore(store, board, { accepts: (r) => !isPrivate(r) }), bindStore(store, mine, { accepts: isPrivate }))

    store.put([note('public', { x: 1 }), note('secret', { x: 2, meta: { private: true } })])
    store._flushHistory()
    expect(Array.from(getRecordsMap(board).keys())).toContain(createShapeId('public'))
    expect(getRecordsMap(board).has(createShapeId('secret'))).toBe(false)
    expect(Array.from(getRecordsMap(mine).keys())).toEqual([createShapeId('secret')])

    // Edits follow the record to its own document.
    store.update(createShapeId('secret'), (r) => ({ ...r, x: 50 }) as never)
    store._flushHistory()
    expect(getRecordsMap(mine).get(createShapeId('secret'))!.get('x')).toBe(50)
    expect(getRecordsMap(board).has(createShapeId('secret'))).toBe(false)

    // The reveal, as the server does it: onto the board without the mark, then out of the private document.
    const revealed = { ...note('secret', { x: 50 }), meta: {} }
    board.transact(() => putRecord(getRecordsMap(board), revealed as unknown as PlainRecord), NET)
    mine.transact(() => getRecordsMap(mine).delete(createShapeId('secret')), NET)
    expect(store.get(createShapeId('secret'))).toMatchObject({ x: 50, meta: {} })
    // From now on it is an ordinary board record.
    store.update(createShapeId('secret'), (r) => ({ ...r, x: 60 }) as never)
    store._flushHistory()
    expect(getRecordsMap(board).get(createShapeId('secret'))!.get('x')).toBe(60)
    expect(getRecordsMap(mine).size).toBe(0)
  })
})
