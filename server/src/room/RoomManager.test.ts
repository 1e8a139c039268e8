import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Close } from '../../../shared/protocol'
import { silentLogger } from '../log'
import type { LoadedDocument, RoomPersistence } from './RoomPersistence'
import { BUILD_AFTER_MS } from './Room'
import { RoomManager } from './RoomManager'
import { clientStep1Frame, clientUpdateFrame, FakeSocket, noteUpdate } from './testSockets'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const storedBoard = (): LoadedDocument => ({ snapshot: noteUpdate('stored', 'from disk'), updates: [], lastSeq: 0 })
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const notes = (doc: Y.Doc) => doc.getMap('notes').toJSON()
const noopPersistence: RoomPersistence = { appendUpdate: async () => 1, compact: async () => {} }

const managers: RoomManager[] = []
function makeManager(
  load: (id: string) => Promise<LoadedDocument | undefined>,
  persistence = noopPersistence,
  roomIdleMs = 10_000,
  onAllUnloaded?: () => void,
) {
  const manager = new RoomManager({
    admit: async () => ({ kind: 'granted', role: 'facilitator' }),
    onAllUnloaded,
    load,
    persistenceFor: () => persistence,
    log: silentLogger,
    roomIdleMs,
    maxBufferedBytes: 1024 * 1024,
    compactAfterUpdates: 1000,
    storageRetryMs: 10,
  })
  managers.push(manager)
  return manager
}

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.shutdown()
})

describe('RoomManager', () => {
  it('loads a cold board once for clients connecting at the same time, and answers nobody before it loaded', async () => {
    const loading = deferred<LoadedDocument | undefined>()
    let loads = 0
    const manager = makeManager(() => {
      loads++
      return loading.promise
    })
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    manager.handleSocketConnect(ana, 'board')
    manager.handleSocketConnect(bram, 'board')
    // The stock client sends sync step 1 right after opening, before the board has loaded.
    const anaDoc = new Y.Doc()
    manager.handleSocketMessage(ana, clientStep1Frame(anaDoc))
    await settle()
    expect(ana.frames).toEqual([])
    expect(loads).toBe(1)

    loading.resolve(storedBoard())
    await settle()
    ana.applySyncFramesTo(anaDoc)
    expect(notes(anaDoc)).toEqual({ stored: 'from disk' })
    expect(manager.stats()).toEqual({ rooms: 1, connections: 2 })
  })

  it('sends a waiting newcomer the stored board once, before building its own copy', async () => {
    const loading = deferred<LoadedDocument | undefined>()
    const manager = makeManager(() => loading.promise)
    const [fresh, returning] = [new FakeSocket(), new FakeSocket()]
    const freshDoc = new Y.Doc()
    const returningDoc = new Y.Doc()
    Y.applyUpdate(returningDoc, noteUpdate('offline', 'edit'))
    manager.handleSocketConnect(fresh, 'board')
    manager.handleSocketConnect(returning, 'board')
    manager.handleSocketMessage(fresh, clientStep1Frame(freshDoc))
    manager.handleSocketMessage(returning, clientStep1Frame(returningDoc))
    loading.resolve(storedBoard())
    await new Promise((resolve) => setTimeout(resolve, 10))

    fresh.applySyncFramesTo(freshDoc)
    returning.applySyncFramesTo(returningDoc)
    expect(notes(freshDoc)).toEqual({ stored: 'from disk' })
    expect(notes(returningDoc)).toEqual({ stored: 'from disk', offline: 'edit' })
    const step2Count = (socket: FakeSocket) => socket.frames.filter((frame) => frame[0] === 0 && frame[1] === 1).length
    expect(step2Count(fresh)).toBe(1)
    expect(step2Count(returning)).toBe(1)
    expect(manager.stats()).toEqual({ rooms: 1, connections: 2 })
  })

  it('answers a newcomer from the stored bytes without building the board, and sends its step 1 once the room has built it', async () => {
    const manager = makeManager(async () => storedBoard())
    const fresh = new FakeSocket()
    const freshDoc = new Y.Doc()
    manager.handleSocketConnect(fresh, 'board')
    manager.handleSocketMessage(fresh, clientStep1Frame(freshDoc))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const kinds = () => fresh.frames.filter((frame) => frame[0] === 0).map((frame) => (frame[1] === 1 ? 'step2' : frame[1] === 0 ? 'step1' : 'update'))
    expect(kinds()).toEqual(['step2'])
    fresh.applySyncFramesTo(freshDoc)
    expect(notes(freshDoc)).toEqual({ stored: 'from disk' })
    // Nothing needed the document yet; the room builds it BUILD_AFTER_MS after loading and then asks the client what it has.
    await new Promise((resolve) => setTimeout(resolve, BUILD_AFTER_MS + 50))
    expect(kinds()).toEqual(['step2', 'step1'])
    expect(await manager.readBoard('board', (doc) => doc.getMap('notes').toJSON())).toEqual({ stored: 'from disk' })
  })

  it('closes with load-failed and keeps no room when the board cannot be read, then loads on the next try', async () => {
    let fail = true
    const manager = makeManager(async () => {
      if (fail) throw new Error('SQLITE_IOERR')
      return storedBoard()
    })
    const ana = new FakeSocket()
    manager.handleSocketConnect(ana, 'board')
    manager.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('typed', 'while loading')))
    await settle()
    expect(ana.closedWith).toEqual({ code: Close.loadFailed.code, reason: Close.loadFailed.reason })
    expect(manager.stats()).toEqual({ rooms: 0, connections: 0 })

    fail = false
    const again = new FakeSocket()
    manager.handleSocketConnect(again, 'board')
    // A client that has said nothing yet gets up to 50 ms to send its sync step 1 (answered from the stored bytes).
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(again.closedWith).toBeUndefined()
    expect(manager.stats().rooms).toBe(1)
  })

  it('derives a board\'s whole document for HTTP, loading it; failed or unknown loads are named, never an empty document', async () => {
    let fail = true
    const manager = makeManager(async (id) => {
      if (id === 'missing') return undefined
      if (fail) throw new Error('SQLITE_BUSY')
      return storedBoard()
    })
    const identity = async (update: Uint8Array) => update
    expect(await manager.derivedFullState('board', 'identity', identity)).toEqual({ kind: 'failed' })
    expect(await manager.derivedFullState('missing', 'identity', identity)).toEqual({ kind: 'unknown' })
    fail = false
    const found = await manager.derivedFullState('board', 'identity', identity)
    expect(found.kind).toBe('found')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, (found as { bytes: Uint8Array }).bytes)
    expect(notes(doc)).toEqual({ stored: 'from disk' })
    expect(manager.stats().rooms).toBe(1)
  })

  it('closes with unknown-board when storage has no such board', async () => {
    const manager = makeManager(async () => undefined)
    const ana = new FakeSocket()
    manager.handleSocketConnect(ana, 'nope')
    await settle()
    expect(ana.closedWith).toEqual({ code: Close.unknownBoard.code, reason: Close.unknownBoard.reason })
    expect(manager.stats()).toEqual({ rooms: 0, connections: 0 })
  })

  it('discards a board deleted while it was loading', async () => {
    const loading = deferred<LoadedDocument | undefined>()
    const manager = makeManager(() => loading.promise)
    const ana = new FakeSocket()
    manager.handleSocketConnect(ana, 'board')
    manager.closeBoard('board')
    expect(ana.closedWith).toEqual({ code: Close.boardDeleted.code, reason: Close.boardDeleted.reason })
    loading.resolve(storedBoard())
    await settle()
    expect(manager.stats()).toEqual({ rooms: 0, connections: 0 })
  })

  it('does not unload a room while an edit sent during its unload flush is still being stored', async () => {
    const appended: Uint8Array[] = []
    let finishCompaction!: () => void
    let compactions = 0
    const persistence: RoomPersistence = {
      appendUpdate: async (update) => {
        appended.push(update)
        return appended.length
      },
      compact: () => (++compactions === 1 ? new Promise<void>((resolve) => (finishCompaction = resolve)) : Promise.resolve()),
    }
    const manager = makeManager(async () => storedBoard(), persistence, 10)
    const ana = new FakeSocket()
    manager.handleSocketConnect(ana, 'board')
    await settle()
    manager.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('ana', 'first')))
    await settle()
    manager.handleSocketClose(ana)
    await new Promise((resolve) => setTimeout(resolve, 30)) // the unload's flush is now waiting on storage
    expect(compactions).toBe(1)

    const bram = new FakeSocket()
    manager.handleSocketConnect(bram, 'board')
    manager.handleSocketMessage(bram, clientUpdateFrame(noteUpdate('bram', 'during the flush')))
    manager.handleSocketClose(bram)
    finishCompaction()
    await new Promise((resolve) => setTimeout(resolve, 50))

    const stored = new Y.Doc()
    for (const update of appended) Y.applyUpdate(stored, update)
    expect(notes(stored)).toMatchObject({ bram: 'during the flush' })
    expect(manager.stats().rooms).toBe(0)
  })

  it('unloads an idle room after writing it, but not while its storage is failing', async () => {
    let broken = false
    const snapshots: Uint8Array[] = []
    const persistence: RoomPersistence = {
      appendUpdate: async () => {
        if (broken) throw new Error('disk full')
        return 1
      },
      compact: async (snapshot) => {
        if (broken) throw new Error('disk full')
        snapshots.push(snapshot)
      },
    }
    const manager = makeManager(async () => storedBoard(), persistence, 20)
    const ana = new FakeSocket()
    manager.handleSocketConnect(ana, 'board')
    await settle()
    broken = true
    manager.handleSocketMessage(ana, clientUpdateFrame(noteUpdate('typed', 'only in memory')))
    await settle()
    manager.handleSocketClose(ana)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(manager.stats().rooms).toBe(1) // unloading now would lose the edit

    broken = false
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(manager.stats().rooms).toBe(0)
    const written = new Y.Doc()
    Y.applyUpdate(written, snapshots.at(-1)!)
    expect(notes(written)).toEqual({ stored: 'from disk', typed: 'only in memory' })
  })

  it('reports when its last room unloaded with nobody connected (the idle moment), not before', async () => {
    let idle = 0
    const manager = makeManager(async () => storedBoard(), noopPersistence, 20, () => idle++)
    const [ana, bram] = [new FakeSocket(), new FakeSocket()]
    manager.handleSocketConnect(ana, 'one')
    manager.handleSocketConnect(bram, 'two')
    await settle()
    manager.handleSocketClose(ana)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(manager.stats()).toEqual({ rooms: 1, connections: 1 })
    expect(idle).toBe(0) // board two is still open

    manager.handleSocketClose(bram)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(manager.stats()).toEqual({ rooms: 0, connections: 0 })
    expect(idle).toBe(1)
  })
})
