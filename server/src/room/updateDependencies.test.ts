import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { unknownReference } from './updateDependencies'

/**
 * A hand-written V1 update from client 7: its first item (7:`first`) names as
 * parent the map that the second item (7:`first + 1`) creates, i.e. content
 * of its own client that comes after it. No honest client writes that (a
 * client's content can only build on what it made before), and Yjs,
 * integrating client 7's structs in clock order, looks the parent up before
 * it exists and throws from inside its struct store.
 */
function forwardSelfReference(first: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // clients
  encoding.writeVarUint(e, 2) // structs of client 7
  encoding.writeVarUint(e, 7)
  encoding.writeVarUint(e, first)
  // 7:first: a value under key 'k' of the map 7:first+1. info: ContentAny (8) | has parentSub (BIT6)
  encoding.writeUint8(e, 8 | 0b0010_0000)
  encoding.writeVarUint(e, 0) // parent is an id, not a root key
  encoding.writeVarUint(e, 7)
  encoding.writeVarUint(e, first + 1)
  encoding.writeVarString(e, 'k')
  encoding.writeVarUint(e, 1) // one value
  encoding.writeAny(e, 1)
  // 7:first+1: a Y.Map under root key 'm'. info: ContentType (7)
  encoding.writeUint8(e, 7)
  encoding.writeVarUint(e, 1) // parent is a root key
  encoding.writeVarString(e, 'm')
  encoding.writeVarUint(e, 1) // YMap
  encoding.writeVarUint(e, 0) // empty delete set
  return encoding.toUint8Array(e)
}

/** A document that already holds client 7's first `n` items (so the struct store has that client). */
function docWithClient7(n: number): Y.Doc {
  const source = new Y.Doc()
  source.clientID = 7
  for (let i = 0; i < n; i++) source.getMap('m0').set(`k${i}`, i)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
  return doc
}

describe('updates that build on content the board lacks', () => {
  it('refuses an item whose parent is later content of its own client (Yjs would throw mid-update)', () => {
    const doc = docWithClient7(3)
    const update = forwardSelfReference(3)
    expect(() => Y.applyUpdate(docWithClient7(3), update), 'the input is the kind that breaks Yjs').toThrow(TypeError)
    expect(unknownReference(doc, Y.decodeUpdate(update))).toMatch(/its own later content 7:4/)
  })

  it('accepts an honest update from a client building on its own earlier content', () => {
    const doc = docWithClient7(3)
    const source = new Y.Doc()
    source.clientID = 7
    Y.applyUpdate(source, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(source)
    const nested = new Y.Map<unknown>()
    source.getMap('m0').set('nested', nested)
    nested.set('x', 1)
    source.getText('t').insert(0, 'ab')
    source.getText('t').insert(1, 'c')
    const update = Y.encodeStateAsUpdate(source, before)
    expect(unknownReference(doc, Y.decodeUpdate(update))).toBeUndefined()
  })
})
