import { afterEach, describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Close, MessageType } from '../../../shared/protocol'
import { silentLogger } from '../log'
import { newerEntries } from './PresenceRelay'
import { Room } from './Room'
import type { RoomPersistence } from './RoomPersistence'
import { clientStep1Frame, clientUpdateFrame, FakeSocket, noteUpdate } from './testSockets'

/** Storage double that can be broken and repaired, recording what reached it. */
class FlakyPersistence implements RoomPersistence {
  broken = false
  appended: Uint8Array[] = []
  snapshots: { snapshot: Uint8Array; uptoSeq: number }[] = []
  private seq = 0

  async appendUpdate(update: Uint8Array): Promise<number> {
    if (this.broken) throw new Error('SQLITE_FULL: database or disk is full')
    this.appended.push(update)
    return ++this.seq
  }

  async compact(snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    if (this.broken) throw new Error('SQLITE_FULL: database or disk is full')
    this.snapshots.push({ snapshot, uptoSeq })
  }

  /** The document storage would load now. */
  stored(): Y.Doc {
    const doc = new Y.Doc()
    const last = this.snapshots.at(-1)
    if (last) Y.applyUpdate(doc, last.snapshot)
    for (const update of this.appended) Y.applyUpdate(doc, update)
    return doc
  }
}

const rooms: Room[] = []
function makeRoom(persistence: RoomPersistence, options: { compactAfterUpdates?: number; maxBufferedBytes?: number } = {}): Room {
  const room = new Room({
    boardId: 'board',
    doc: new Y.Doc(),
    lastSeq: 0,
    persistence,
    log: silentLogger,
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    compactAfterUpdates: options.compactAfterUpdates ?? 1000,
    awarenessFlushMs: 5,
    storageRetryMs: 10,
  })
  rooms.push(room)
  return room
}
/** The presence a client would see after applying every awareness frame `socket` received. */
function presenceSeenBy(socket: FakeSocket): Map<number, Record<string, unknown>> {
  const observer = new Awareness(new Y.Doc())
  for (const frame of socket.frames) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) continue
    applyAwarenessUpdate(observer, decoding.readVarUint8Array(decoder), 'server')
  }
  const states = new Map(observer.getStates())
  observer.destroy()
  return states
}
function awarenessMessage(awareness: Awareness): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]))
  return encoding.toUint8Array(encoder)
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const notes = (doc: Y.Doc) => doc.getMap('notes').toJSON()

afterEach(() => {
  for (const room of rooms.splice(0)) room.destroy()
})

describe('Room', () => {
  it('stores an update before anyone else receives it', async () => {
    const persistence = new FlakyPersistence()
    const room = makeRoom(persistence)
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketConnect(bram, { role: 'facilitator' })
    const before = bram.frames.length
    let storedWhenRelayed: number | undefined
    const send = bram.send.bind(bram)
    bram.send = (data) => {
      storedWhenRelayed ??= persistence.appended.length
      send(data)
    }
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('a', 'hello')))
    await settle()
    expect(bram.frames.length).toBe(before + 1)
    expect(storedWhenRelayed).toBe(1)
    expect(ana.frames.length).toBe(1) // only its sync step 1: no echo of its own edit
  })

  it('stores only what is new: a resent update or a reconnecting client\'s delete set is not stored again', async () => {
    const persistence = new FlakyPersistence()
    const room = makeRoom(persistence)
    const ana = new FakeSocket()
    room.handleSocketConnect(ana, { role: 'facilitator' })
    const anaDoc = new Y.Doc()
    anaDoc.getMap('notes').set('kept', 'yes')
    anaDoc.getMap('notes').set('gone', 'soon')
    anaDoc.getMap('notes').delete('gone')
    room.handleSocketMessage(ana, clientUpdateFrame(Y.encodeStateAsUpdate(anaDoc)))
    room.handleSocketMessage(ana, clientUpdateFrame(Y.encodeStateAsUpdate(anaDoc)))
    // What the stock client sends back to our sync step 1 when it is up to date.
    room.handleSocketMessage(ana, clientUpdateFrame(Y.encodeStateAsUpdate(anaDoc, Y.encodeStateVector(room.doc))))
    await settle()
    expect(persistence.appended).toHaveLength(1)
    expect(notes(persistence.stored())).toEqual({ kept: 'yes' })
  })

  it('shows nobody a change before storage has it, not even in an answer to sync step 1', async () => {
    let store!: () => void
    const slow: RoomPersistence = {
      appendUpdate: () => new Promise<number>((resolve) => (store = () => resolve(1))),
      compact: async () => {},
    }
    const room = makeRoom(slow)
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketConnect(bram, { role: 'facilitator' })
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('a', 'typed')))
    const bramDoc = new Y.Doc()
    room.handleSocketMessage(bram, clientStep1Frame(bramDoc))
    await settle()
    bram.applySyncFramesTo(bramDoc)
    expect(notes(bramDoc)).toEqual({})

    store()
    await settle()
    bram.applySyncFramesTo(bramDoc)
    expect(notes(bramDoc)).toEqual({ a: 'typed' })
  })

  it('keeps working in memory when storage fails, tells everyone, and writes it all once storage is back', async () => {
    const persistence = new FlakyPersistence()
    const room = makeRoom(persistence)
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketConnect(bram, { role: 'facilitator' })
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('before', 'stored')))
    await settle()

    persistence.broken = true
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('during-1', 'memory only')))
    room.handleSocketMessage(bram, clientUpdateFrame(noteUpdate('during-2', 'memory only')))
    await settle()
    for (const socket of [ana, bram]) expect(socket.statusNotices()).toEqual([{ kind: 'storage', ok: false }])
    expect(room.storageDegraded).toBe(true)
    // Nothing dropped: both edits are relayed and in the room's document.
    const bramView = new Y.Doc()
    bram.applySyncFramesTo(bramView)
    expect(notes(bramView)).toMatchObject({ before: 'stored', 'during-1': 'memory only' })
    expect(notes(room.doc)).toEqual({ before: 'stored', 'during-1': 'memory only', 'during-2': 'memory only' })
    // A newcomer learns about the problem when joining.
    const carla = new FakeSocket()
    room.handleSocketConnect(carla, { role: 'facilitator' })
    expect(carla.statusNotices()).toEqual([{ kind: 'storage', ok: false }])

    persistence.broken = false
    await new Promise((resolve) => setTimeout(resolve, 50))
    for (const socket of [ana, bram, carla]) expect(socket.statusNotices().at(-1)).toEqual({ kind: 'storage', ok: true })
    expect(room.storageDegraded).toBe(false)
    expect(notes(persistence.stored())).toEqual(notes(room.doc))

    // Appending resumes.
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('after', 'stored again')))
    await settle()
    expect(notes(persistence.stored())).toMatchObject({ after: 'stored again' })
  })

  it('compacts after the configured number of updates without losing one', async () => {
    const persistence = new FlakyPersistence()
    const room = makeRoom(persistence, { compactAfterUpdates: 3 })
    const ana = new FakeSocket()
    room.handleSocketConnect(ana, { role: 'facilitator' })
    for (let i = 0; i < 7; i++) room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate(`n${i}`, `v${i}`)))
    await settle()
    expect(persistence.snapshots.map((s) => s.uptoSeq)).toEqual([3, 6])
    // Storage keeps the log rows after the last snapshot; together they are the whole board.
    persistence.appended = persistence.appended.slice(6)
    expect(Object.keys(notes(persistence.stored())).sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'])
  })

  it('answers sync step 1 with what the client lacks', async () => {
    const room = makeRoom(new FlakyPersistence())
    const ana = new FakeSocket()
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('a', '1')))
    await settle()
    const bram = new FakeSocket()
    room.handleSocketConnect(bram, { role: 'facilitator' })
    const bramDoc = new Y.Doc()
    room.handleSocketMessage(bram, clientStep1Frame(bramDoc))
    await settle()
    bram.applySyncFramesTo(bramDoc)
    expect(notes(bramDoc)).toEqual({ a: '1' })

    // The full state is cached for newcomers; a later change must not be served stale.
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('b', '2')))
    await settle()
    const carla = new FakeSocket()
    room.handleSocketConnect(carla, { role: 'facilitator' })
    const carlaDoc = new Y.Doc()
    room.handleSocketMessage(carla, clientStep1Frame(carlaDoc))
    await settle()
    carla.applySyncFramesTo(carlaDoc)
    expect(notes(carlaDoc)).toEqual({ a: '1', b: '2' })
    // A client that already has part of the board gets only what it lacks.
    const dave = new FakeSocket()
    room.handleSocketConnect(dave, { role: 'facilitator' })
    const daveDoc = new Y.Doc()
    Y.applyUpdate(daveDoc, noteUpdate('own', 'offline edit'))
    room.handleSocketMessage(dave, clientStep1Frame(daveDoc))
    await settle()
    dave.applySyncFramesTo(daveDoc)
    expect(notes(daveDoc)).toEqual({ a: '1', b: '2', own: 'offline edit' })
  })

  it('closes only the sender of a malformed frame', async () => {
    const persistence = new FlakyPersistence()
    const room = makeRoom(persistence)
    const [ana, rogue] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketConnect(rogue, { role: 'facilitator' })
    const update = noteUpdate('x', 'y'.repeat(100))
    room.handleSocketMessage(rogue, clientUpdateFrame(update.slice(0, update.length - 10)))
    await settle()
    expect(rogue.closedWith).toEqual({ code: Close.badMessage.code, reason: Close.badMessage.reason })
    expect(ana.closedWith).toBeUndefined()
    expect(persistence.appended).toEqual([])
    expect(room.socketCount).toBe(1)
  })

  it('gives a newcomer to a big board room for the whole board before calling it too slow', async () => {
    const room = makeRoom(new FlakyPersistence(), { maxBufferedBytes: 1000 })
    const ana = new FakeSocket()
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('big', 'x'.repeat(5000))))
    await settle()
    const newcomer = new FakeSocket()
    room.handleSocketConnect(newcomer, { role: 'facilitator' })
    room.handleSocketMessage(newcomer, clientStep1Frame(new Y.Doc()))
    await settle()
    newcomer.bufferedAmount = 5500 // the board is still on its way
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('small', '1')))
    await settle()
    expect(newcomer.closedWith).toBeUndefined()
    newcomer.bufferedAmount = 7000 // behind by more than the board plus the limit
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('small', '2')))
    await settle()
    expect(newcomer.closedWith).toEqual({ code: Close.tooSlow.code, reason: Close.tooSlow.reason })
  })

  it('closes a socket whose unsent bytes exceed the limit, instead of queueing more', async () => {
    const room = makeRoom(new FlakyPersistence(), { maxBufferedBytes: 1000 })
    const [ana, slow] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketConnect(slow, { role: 'facilitator' })
    slow.bufferedAmount = 1001
    const before = slow.frames.length
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('a', '1')))
    await settle()
    expect(slow.closedWith).toEqual({ code: Close.tooSlow.code, reason: Close.tooSlow.reason })
    expect(slow.frames.length).toBe(before)
    expect(room.socketCount).toBe(1)
  })

  it('batches presence so each client gets a bounded number of frames however busy the room', async () => {
    const room = makeRoom(new FlakyPersistence())
    const people = Array.from({ length: 30 }, () => ({ socket: new FakeSocket(), awareness: new Awareness(new Y.Doc()) }))
    for (const { socket } of people) room.handleSocketConnect(socket, { role: 'facilitator' })
    const started = Date.now()
    for (let round = 0; round < 10; round++) {
      for (const { socket, awareness } of people) {
        awareness.setLocalStateField('cursor', { x: round, y: round })
        room.handleSocketMessage(socket, awarenessMessage(awareness))
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 30))
    const elapsed = Date.now() - started
    for (const { socket } of people) {
      const frames = socket.frames.filter((frame) => decoding.readVarUint(decoding.createDecoder(frame)) === MessageType.Awareness)
      // 300 changes happened; naive relay would send each person 300 frames.
      expect(frames.length).toBeLessThanOrEqual(Math.ceil(elapsed / 5) + 2)
    }
    // And everyone's latest cursor arrives.
    const seen = presenceSeenBy(people[0].socket)
    for (const { awareness } of people) expect(seen.get(awareness.clientID)).toEqual({ cursor: { x: 9, y: 9 } })
    for (const { awareness } of people) awareness.destroy()
  })

  it('removes the presence of a socket that leaves', async () => {
    const room = makeRoom(new FlakyPersistence())
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'facilitator' })
    room.handleSocketConnect(bram, { role: 'facilitator' })
    const anaAwareness = new Awareness(new Y.Doc())
    anaAwareness.setLocalStateField('user', { name: 'Ana' })
    room.handleSocketMessage(ana, awarenessMessage(anaAwareness))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(presenceSeenBy(bram).get(anaAwareness.clientID)).toEqual({ user: { name: 'Ana' } })
    room.handleSocketClose(ana)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(presenceSeenBy(bram).has(anaAwareness.clientID)).toBe(false)
    anaAwareness.destroy()
  })
})

describe('Room built from stored bytes', () => {
  function lazyRoom(persistence: RoomPersistence, fullState: Uint8Array, onBroken?: () => void, buildAfterMs = 60_000): Room {
    const room = new Room({
      boardId: 'board',
      fullState,
      buildAfterMs,
      onBroken,
      lastSeq: 0,
      persistence,
      log: silentLogger,
      maxBufferedBytes: 1024 * 1024,
      compactAfterUpdates: 1000,
      awarenessFlushMs: 5,
    })
    rooms.push(room)
    return room
  }
  const kinds = (socket: FakeSocket) =>
    socket.frames.filter((frame) => frame[0] === MessageType.Sync).map((frame) => (frame[1] === 0 ? 'step1' : frame[1] === 1 ? 'step2' : 'update'))

  it('answers a fresh client from the stored bytes without building, and builds on the first edit', async () => {
    const persistence = new FlakyPersistence()
    const room = lazyRoom(persistence, noteUpdate('stored', 'from disk'))
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'participant' })
    room.handleSocketConnect(bram, { role: 'participant' })
    room.handleSocketMessage(ana, clientStep1Frame(new Y.Doc()))
    // The stock provider's answer to a step 1 when it has nothing: an empty update.
    room.handleSocketMessage(ana, clientUpdateFrame(Y.encodeStateAsUpdate(new Y.Doc())))
    await settle()
    expect(kinds(ana)).toEqual(['step2'])
    expect(room.isBuilt).toBe(false)
    const anaDoc = new Y.Doc()
    ana.applySyncFramesTo(anaDoc)
    expect(notes(anaDoc)).toEqual({ stored: 'from disk' })

    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('new', 'edit')))
    await settle()
    expect(room.isBuilt).toBe(true)
    expect(persistence.appended).toHaveLength(1)
    // Both were owed our step 1; Bram also gets the edit.
    expect(kinds(ana)).toEqual(['step2', 'step1'])
    expect(kinds(bram)).toEqual(['step1', 'update'])
    expect(notes(room.doc)).toEqual({ stored: 'from disk', new: 'edit' })
  })

  it('builds for a returning client and sends it exactly what it lacks', async () => {
    const stored = new Y.Doc()
    stored.getMap('notes').set('a', 'seen before')
    const returning = new Y.Doc()
    Y.applyUpdate(returning, Y.encodeStateAsUpdate(stored))
    stored.getMap('notes').set('b', 'missed')
    const room = lazyRoom(new FlakyPersistence(), Y.encodeStateAsUpdate(stored))
    const socket = new FakeSocket()
    room.handleSocketConnect(socket, { role: 'participant' })
    room.handleSocketMessage(socket, clientStep1Frame(returning))
    await settle()
    expect(room.isBuilt).toBe(true)
    socket.applySyncFramesTo(returning)
    expect(notes(returning)).toEqual({ a: 'seen before', b: 'missed' })
  })

  it('builds on its own after the delay, with nobody needing it', async () => {
    const room = lazyRoom(new FlakyPersistence(), noteUpdate('stored', 'x'), undefined, 20)
    expect(room.isBuilt).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(room.isBuilt).toBe(true)
  })

  it('derives the whole document once per key for simultaneous requests, from the stored bytes, until it changes', async () => {
    const stored = noteUpdate('stored', 'from disk')
    const room = lazyRoom(new FlakyPersistence(), stored)
    const seen: Uint8Array[] = []
    const derive = async (update: Uint8Array) => {
      seen.push(update)
      return update.slice().reverse()
    }
    // Two hundred people open the board at once: one derivation per key.
    const answers = await Promise.all(Array.from({ length: 200 }, () => room.derivedFullState('br', derive)))
    expect(seen).toHaveLength(1)
    expect(new Set(answers).size).toBe(1)
    expect(Array.from(seen[0])).toEqual(Array.from(stored))
    expect(room.isBuilt).toBe(false)
    await room.derivedFullState('gzip', derive)
    expect(seen).toHaveLength(2)

    // An edit makes every derived copy stale; the next one carries it.
    const socket = new FakeSocket()
    room.handleSocketConnect(socket, { role: 'participant' })
    room.handleSocketMessage(socket, clientUpdateFrame(noteUpdate('new', 'edit')))
    await settle()
    await room.derivedFullState('br', derive)
    expect(seen).toHaveLength(3)
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, seen[2])
    expect(notes(fresh)).toEqual({ stored: 'from disk', new: 'edit' })
    // Exactly what a fresh websocket client gets as sync step 2.
    const newcomer = new FakeSocket()
    room.handleSocketConnect(newcomer, { role: 'viewer' })
    room.handleSocketMessage(newcomer, clientStep1Frame(new Y.Doc()))
    await settle()
    const step2 = newcomer.frames.find((frame) => frame[0] === MessageType.Sync && frame[1] === 1)!
    const decoder = decoding.createDecoder(step2)
    decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    expect(Array.from(decoding.readVarUint8Array(decoder))).toEqual(Array.from(seen[2]))
  })

  it('waits for earlier writes: a derived copy never holds a change storage does not have yet', async () => {
    const stored = new FlakyPersistence()
    let release: () => void = () => {}
    const slow: RoomPersistence = {
      appendUpdate: (update) => new Promise((resolve) => (release = () => resolve(stored.appendUpdate(update)))),
      compact: (snapshot, uptoSeq) => stored.compact(snapshot, uptoSeq),
    }
    const room = lazyRoom(slow, noteUpdate('stored', 'from disk'))
    const socket = new FakeSocket()
    room.handleSocketConnect(socket, { role: 'participant' })
    room.handleSocketMessage(socket, clientUpdateFrame(noteUpdate('new', 'edit')))
    await settle()
    let answer: Uint8Array | null | undefined
    void room.derivedFullState('identity', async (update) => update).then((bytes) => (answer = bytes))
    await settle()
    expect(answer).toBeUndefined()
    release()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(stored.appended).toHaveLength(1)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, answer!)
    expect(notes(doc)).toEqual({ stored: 'from disk', new: 'edit' })
  })

  it('forgets a failed derivation so the next request tries again', async () => {
    const room = lazyRoom(new FlakyPersistence(), noteUpdate('stored', 'x'))
    let calls = 0
    const failing = async () => {
      calls++
      throw new Error('no memory')
    }
    await expect(room.derivedFullState('br', failing)).rejects.toThrow('no memory')
    await expect(room.derivedFullState('br', async (update) => update)).resolves.toBeInstanceOf(Uint8Array)
    expect(calls).toBe(1)
  })

  it('derives nothing from stored bytes that cannot be built into a document', async () => {
    const whole = noteUpdate('stored', 'x'.repeat(200))
    let broken = 0
    const room = lazyRoom(new FlakyPersistence(), whole.slice(0, whole.length / 2), () => broken++)
    // Breaks the room through an edit, then asks: null, never an empty document.
    const socket = new FakeSocket()
    room.handleSocketConnect(socket, { role: 'participant' })
    room.handleSocketMessage(socket, clientUpdateFrame(noteUpdate('typed', 'meanwhile')))
    await settle()
    expect(broken).toBe(1)
    expect(await room.derivedFullState('br', async (update) => update)).toBeNull()
  })

  it('closes everyone with load-failed and writes nothing when the stored bytes cannot be read', async () => {
    const persistence = new FlakyPersistence()
    const whole = noteUpdate('stored', 'x'.repeat(200))
    let broken = 0
    const room = lazyRoom(persistence, whole.slice(0, whole.length / 2), () => broken++)
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    room.handleSocketConnect(ana, { role: 'participant' })
    room.handleSocketConnect(bram, { role: 'participant' })
    room.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('typed', 'meanwhile')))
    await settle()
    expect(broken).toBe(1)
    expect(ana.closedWith).toEqual({ code: Close.loadFailed.code, reason: Close.loadFailed.reason })
    expect(bram.closedWith).toEqual({ code: Close.loadFailed.code, reason: Close.loadFailed.reason })
    expect(persistence.appended).toEqual([])
    expect(await room.flush()).toBe(true)
    expect(persistence.snapshots).toEqual([])
  })
})

describe('newerEntries', () => {
  it('keeps only entries y-protocols would apply, so echoed presence is not parsed again', () => {
    const server = new Awareness(new Y.Doc())
    server.setLocalState(null)
    const [ana, bram] = [new Awareness(new Y.Doc()), new Awareness(new Y.Doc())]
    ana.setLocalStateField('cursor', 1)
    bram.setLocalStateField('cursor', 1)
    const anaOnly = encodeAwarenessUpdate(ana, [ana.clientID])
    applyAwarenessUpdate(server, anaOnly, 'test')
    expect(newerEntries(server, anaOnly)).toBeNull() // an echo

    ana.setLocalStateField('cursor', 2)
    applyAwarenessUpdate(bram, encodeAwarenessUpdate(ana, [ana.clientID]), 'test')
    // Bram echoes Ana's (newer) state together with his own: both are new to the server.
    const echo = encodeAwarenessUpdate(bram, [ana.clientID, bram.clientID])
    expect(newerEntries(server, echo)).toBe(echo)
    applyAwarenessUpdate(server, echo, 'test')
    bram.setLocalStateField('cursor', 2)
    const mixed = encodeAwarenessUpdate(bram, [ana.clientID, bram.clientID])
    const fresh = newerEntries(server, mixed)!
    const observer = new Awareness(new Y.Doc())
    applyAwarenessUpdate(observer, fresh, 'test')
    expect(Array.from(observer.getStates().keys()).filter((id) => id !== observer.clientID)).toEqual([bram.clientID])
    expect(() => newerEntries(server, mixed.slice(0, mixed.length - 3))).toThrow()
    for (const a of [server, ana, bram, observer]) a.destroy()
  })
})
