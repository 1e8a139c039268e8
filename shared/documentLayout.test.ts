import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, jsonEqual, putRecord, removeRecord, seedDocument, yMapToRecord, type PlainRecord } from './documentLayout'

const note = (over: Partial<PlainRecord> = {}): PlainRecord => ({
  id: 'shape:n1',
  typeName: 'shape',
  type: 'note',
  x: 10,
  y: 20,
  parentId: 'page:page',
  index: 'a1',
  meta: {},
  props: { color: 'yellow', size: 'm', richText: { type: 'doc', content: [] } },
  ...over,
})

/** Two replicas that exchange updates only when told to, like two people with a lagging network. */
function twoPeers() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return { a, b, sync }
}

describe('document layout', () => {
  it('keeps both concurrent edits to different properties of one shape (move + recolour)', () => {
    const { a, b, sync } = twoPeers()
    putRecord(getRecordsMap(a), note())
    sync()
    putRecord(getRecordsMap(a), note({ x: 300, y: 400 }))
    putRecord(getRecordsMap(b), note({ props: { ...note().props as object, color: 'blue' } }))
    sync()
    for (const doc of [a, b]) {
      const record = yMapToRecord(getRecordsMap(doc).get('shape:n1')!)
      expect(record).toMatchObject({ x: 300, y: 400, props: { color: 'blue', size: 'm' } })
    }
  })

  it('keeps both concurrent edits to different props (colour + size)', () => {
    const { a, b, sync } = twoPeers()
    putRecord(getRecordsMap(a), note())
    sync()
    putRecord(getRecordsMap(a), note({ props: { ...(note().props as object), color: 'red' } }))
    putRecord(getRecordsMap(b), note({ props: { ...(note().props as object), size: 'xl' } }))
    sync()
    expect(yMapToRecord(getRecordsMap(b).get('shape:n1')!).props).toMatchObject({ color: 'red', size: 'xl' })
    expect(jsonEqual(getRecordsMap(a).toJSON(), getRecordsMap(b).toJSON())).toBe(true)
  })

  it('writes only the fields that changed', () => {
    const doc = new Y.Doc()
    const records = getRecordsMap(doc)
    putRecord(records, note())
    const changed: string[] = []
    records.observeDeep((events) => {
      for (const event of events) for (const key of event.changes.keys.keys()) changed.push(key)
    })
    putRecord(records, note({ x: 99 }))
    expect(changed).toEqual(['x'])
  })

  it('drops fields and nested keys that the new record no longer has, and removes records', () => {
    const doc = new Y.Doc()
    const records = getRecordsMap(doc)
    putRecord(records, note({ meta: { votes: 3 } }))
    const { meta: _meta, ...withoutMeta } = note()
    putRecord(records, { ...withoutMeta, props: { color: 'yellow' } } as PlainRecord)
    const stored = yMapToRecord(records.get('shape:n1')!)
    expect(stored).not.toHaveProperty('meta')
    expect(stored.props).toEqual({ color: 'yellow' })
    removeRecord(records, 'shape:n1')
    expect(records.has('shape:n1')).toBe(false)
  })

  it('seeds records and the schema in one transaction', () => {
    const doc = new Y.Doc()
    let transactions = 0
    doc.on('afterTransaction', () => transactions++)
    seedDocument(doc, { schemaVersion: 2 }, [note(), note({ id: 'shape:n2' })])
    expect(transactions).toBe(1)
    expect(Array.from(getRecordsMap(doc).keys()).sort()).toEqual(['shape:n1', 'shape:n2'])
    expect(doc.getMap('tl_meta').get('schema')).toEqual({ schemaVersion: 2 })
  })

  it('compares JSON structurally', () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true)
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false)
    expect(jsonEqual([1], { 0: 1 })).toBe(false)
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false)
    expect(jsonEqual(null, {})).toBe(false)
  })
})
