/**
 * Security story (issue #12): nothing a participant sends can break a board.
 * Each test replays one finding of the attack with the stock `yjs` /
 * `y-websocket` packages and a participant link (the weakest link that can
 * write), while honest people on the same board keep working; the board
 * still loads for everyone after a restart.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoardSchema } from '../../shared/boardSchema'
import {
  FACILITATOR_LOCK,
  getMetaMap,
  getRecordsMap,
  getSessionMap,
  putRecord,
  SCHEMA_KEY,
  yMapToRecord,
  type PlainRecord,
} from '../../shared/documentLayout'
import { PRIVATE_META, PRIVATE_MODE_KEY, PRIVATE_PARAM } from '../../shared/privateMode'
import { Close, type StatusNotice } from '../../shared/protocol'
import { decodeStatusFrame } from '../../shared/statusFrame'
import { checkRecord } from '../../shared/validation/records'
import { noteRecord } from '../test-utils/records'
import { bearer, connectClient, createBoard, health, startServer, waitFor, type CreatedBoard, type TestClient, type TestServer } from '../test-utils/startServer'
import { sleep } from './faults/helpers/boardState'
import { rawSocket } from './faults/helpers/rawSocket'

const schema = createBoardSchema()

/** A frame on the page, locked by a facilitator the way the editor does it (tldraw's lock plus our mark). */
function lockedFrame(id: string): PlainRecord {
  return {
    id,
    typeName: 'shape',
    type: 'frame',
    x: 1000,
    y: 1000,
    rotation: 0,
    index: 'a5',
    parentId: 'page:page',
    isLocked: true,
    opacity: 1,
    meta: { [FACILITATOR_LOCK]: true },
    props: { w: 600, h: 400, name: 'Closed round', color: 'black' },
  }
}

/** The status notices a stock client receives (the provider itself ignores our message type). */
function notices(client: TestClient): StatusNotice[] {
  const seen: StatusNotice[] = []
  const hook = () => {
    const ws = client.provider.ws as unknown as { addEventListener(type: string, fn: (event: { data: ArrayBuffer }) => void): void } | null
    ws?.addEventListener('message', (event) => {
      const notice = decodeStatusFrame(new Uint8Array(event.data))
      if (notice) seen.push(notice)
    })
  }
  hook()
  client.provider.on('status', ({ status }: { status: string }) => status === 'connected' && hook())
  return seen
}

function plain(doc: Y.Doc, id: string): PlainRecord | undefined {
  const map = getRecordsMap(doc).get(id)
  return map ? (yMapToRecord(map) as PlainRecord) : undefined
}

describe('no participant can break a board', () => {
  let server: TestServer
  let board: CreatedBoard
  let ana: TestClient
  let bram: TestClient
  let facilitator: TestClient
  const clients: TestClient[] = []
  let edits = 0
  const connect = (opts: Parameters<typeof connectClient>[2] = {}) => {
    const client = connectClient(server.wsUrl, board.id, opts)
    clients.push(client)
    return client
  }

  /** Ana adds a note; passes only if Bram receives it, i.e. the room still works for honest people. */
  async function honestPeopleStillSync(): Promise<void> {
    const id = `shape:honest-${edits++}`
    ana.doc.transact(() => putRecord(getRecordsMap(ana.doc), noteRecord(id, edits * 10, 0, `still working ${edits}`)))
    await waitFor(() => getRecordsMap(bram.doc).has(id), `Bram to see ${id}`)
    expect(ana.provider.wsconnected && bram.provider.wsconnected, 'honest people stay connected').toBe(true)
  }

  beforeAll(async () => {
    server = await startServer({ env: { LOG_LEVEL: 'error' } })
    board = await createBoard(server.url, 'Integrity', 'nl', 'focus-sharpener')
    ana = connect()
    bram = connect()
    facilitator = connect({ role: 'facilitator' })
    await Promise.all([ana.synced, bram.synced, facilitator.synced])
    facilitator.doc.transact(() => putRecord(getRecordsMap(facilitator.doc), lockedFrame('shape:closed')))
    await waitFor(() => getRecordsMap(bram.doc).has('shape:closed'), 'the locked frame to arrive')
    expect(checkRecord(schema, 'shape:closed', lockedFrame('shape:closed')).ok).toBe(true)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('finding 1: refuses a deeply nested structure whole, closing its sender; the board keeps working and loads after a restart', async () => {
    for (const parentId of ['page:page', 'shape:closed']) {
      const mallory = connect()
      await mallory.synced
      mallory.doc.transact(() => {
        const m = new Y.Map<unknown>()
        getRecordsMap(mallory.doc).set('shape:deep', m as Y.Map<unknown>)
        for (const [field, value] of Object.entries(noteRecord('shape:deep', 0, 0, 'deep'))) if (field !== 'props' && field !== 'meta') m.set(field, value)
        m.set('parentId', parentId)
        let level = new Y.Map<unknown>()
        m.set('props', level)
        for (let i = 0; i < 3000; i++) {
          const next = new Y.Map<unknown>()
          level.set('down', next)
          level = next
        }
      })
      expect(await mallory.closed).toEqual({ code: Close.invalidUpdate.code, reason: Close.invalidUpdate.reason })
      mallory.destroy()
      expect(getRecordsMap(bram.doc).has('shape:deep')).toBe(false)
      await honestPeopleStillSync()
    }
    // The crafted delete of the finding needs the deep structure on the server: it never got there.
    server = await server.restart()
    const late = connect()
    const outcome = await Promise.race([late.synced.then(() => 'synced'), late.closed.then((e) => `closed ${e.code}`)])
    expect(outcome).toBe('synced')
    expect(getRecordsMap(late.doc).has('shape:honest-0')).toBe(true)
    expect(getRecordsMap(late.doc).has('shape:deep')).toBe(false)
    // The restarted server listens on a new port: the honest people come back to it.
    for (const client of [ana, bram, facilitator]) client.destroy()
    ana = connect()
    bram = connect()
    facilitator = connect({ role: 'facilitator' })
    await Promise.all([ana.synced, bram.synced, facilitator.synced])
  })

  it('finding 2: undoes a note whose rich text holds an unknown node or mark; nobody else ever receives it', async () => {
    const mallory = connect()
    const told = notices(mallory)
    await mallory.synced
    const received: string[] = []
    getRecordsMap(bram.doc).observe((event) => event.keysChanged.forEach((key) => getRecordsMap(bram.doc).has(key) && received.push(key)))
    const bogus = [
      { type: 'doc', content: [{ type: 'bogus' }] },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] }] },
      { type: 'doc', content: [{ type: 'text', text: 'text straight in the doc' }] },
    ]
    bogus.forEach((richText, i) => {
      const note = noteRecord(`shape:bogus-${i}`, 0, 0, 'x')
      mallory.doc.transact(() => putRecord(getRecordsMap(mallory.doc), { ...note, props: { ...(note.props as object), richText } }))
    })
    // And an honest note that Mallory then breaks.
    mallory.doc.transact(() => putRecord(getRecordsMap(mallory.doc), noteRecord('shape:fine', 0, 0, 'fine')))
    await waitFor(() => getRecordsMap(bram.doc).has('shape:fine'), 'the valid note to arrive')
    ;(getRecordsMap(mallory.doc).get('shape:fine')!.get('props') as Y.Map<unknown>).set('richText', bogus[0])
    await waitFor(() => told.some((n) => n.kind === 'refused' && n.reason === 'invalid-record'), 'Mallory to be told her record was refused')
    await waitFor(() => JSON.stringify(plain(mallory.doc, 'shape:fine')?.props) === JSON.stringify(plain(bram.doc, 'shape:fine')?.props), "Mallory's copy to be repaired")
    expect(received.filter((key) => key.startsWith('shape:bogus'))).toEqual([])
    expect(checkRecord(schema, 'shape:fine', plain(bram.doc, 'shape:fine')!).ok).toBe(true)
    expect(mallory.provider.wsconnected, 'an invalid record is undone, not a reason to disconnect').toBe(true)
    await honestPeopleStillSync()
  })

  it("finding 3: nobody, not even a facilitator, can set tl_meta.schema to a schema this server does not run", async () => {
    const seeded = JSON.stringify(getMetaMap(bram.doc).get(SCHEMA_KEY))
    const mallory = connect()
    await mallory.synced
    getMetaMap(mallory.doc).set(SCHEMA_KEY, { schemaVersion: 99, sequences: {} })
    getMetaMap(mallory.doc).set('extra', 'not a key of tl_meta')
    facilitator.doc.transact(() => getMetaMap(facilitator.doc).set(SCHEMA_KEY, { schemaVersion: 2, sequences: { 'com.tldraw.shape.note': 999 } }))
    await waitFor(() => JSON.stringify(getMetaMap(mallory.doc).get(SCHEMA_KEY)) === seeded && !getMetaMap(mallory.doc).has('extra'), "Mallory's copy to be put back")
    await waitFor(() => JSON.stringify(getMetaMap(facilitator.doc).get(SCHEMA_KEY)) === seeded, "the facilitator's copy to be put back")
    await sleep(200)
    expect(JSON.stringify(getMetaMap(bram.doc).get(SCHEMA_KEY))).toBe(seeded)
    expect(getMetaMap(bram.doc).has('extra')).toBe(false)
    // Writing the schema the server runs (what an upgrading browser does) is accepted.
    getMetaMap(mallory.doc).set(SCHEMA_KEY, schema.serialize())
    await sleep(200)
    expect(mallory.provider.wsconnected).toBe(true)
    await honestPeopleStillSync()
  })

  it('finding 6: no shape gets into a locked frame: created there, with the lock mark, moved in, or revealed from private mode', async () => {
    const mallory = connect()
    await mallory.synced
    const records = getRecordsMap(mallory.doc)
    const frameBefore = JSON.stringify(plain(bram.doc, 'shape:closed'))
    // (a) created inside, with the facilitator's mark
    mallory.doc.transact(() => putRecord(records, { ...noteRecord('shape:in-a', 10, 10, 'a'), parentId: 'shape:closed', isLocked: true, meta: { [FACILITATOR_LOCK]: true } }))
    // (b) created on the page, then moved in
    mallory.doc.transact(() => putRecord(records, noteRecord('shape:in-b', 0, 0, 'b')))
    await waitFor(() => getRecordsMap(bram.doc).has('shape:in-b'), 'the note on the page')
    mallory.doc.transact(() => records.get('shape:in-b')!.set('parentId', 'shape:closed'))
    // (c) an honest person's existing note moved in
    mallory.doc.transact(() => records.get('shape:honest-0')!.set('parentId', 'shape:closed'))
    await waitFor(
      () => !records.has('shape:in-a') && records.get('shape:in-b')?.get('parentId') === 'page:page' && records.get('shape:honest-0')?.get('parentId') === 'page:page',
      "Mallory's copy to be repaired",
    )
    await sleep(200)
    for (const doc of [bram.doc, facilitator.doc]) {
      const inside = Array.from(getRecordsMap(doc).values()).filter((map) => map.get('parentId') === 'shape:closed')
      expect(inside.map((map) => map.get('id'))).toEqual([])
    }
    expect(JSON.stringify(plain(bram.doc, 'shape:closed'))).toBe(frameBefore)

    // (d) through private mode: the reveal puts it on the page where it would have appeared
    facilitator.doc.transact(() => getSessionMap(facilitator.doc).set(PRIVATE_MODE_KEY, { since: Date.now() }))
    const secret = 'mallory-private'.padEnd(30, 'm')
    const privately = connect({ params: { [PRIVATE_PARAM]: secret } })
    await privately.synced
    privately.doc.transact(() =>
      putRecord(getRecordsMap(privately.doc), { ...noteRecord('shape:in-d', 20, 30, 'd'), parentId: 'shape:closed', meta: { [PRIVATE_META]: true } }),
    )
    await sleep(300)
    const res = await fetch(`${server.url}/api/boards/${board.id}/private/reveal`, { method: 'POST', headers: bearer(board.keys.facilitator) })
    expect(res.status).toBe(200)
    await waitFor(() => getRecordsMap(bram.doc).has('shape:in-d'), 'the revealed note')
    const revealed = plain(bram.doc, 'shape:in-d')!
    expect({ parentId: revealed.parentId, x: revealed.x, y: revealed.y }).toEqual({ parentId: 'page:page', x: 1020, y: 1030 })
    await honestPeopleStillSync()
  })

  it("finding 9: a template's frames and headings keep their names; participants still put notes inside them", async () => {
    const frames = () => Array.from(getRecordsMap(bram.doc).values()).filter((map) => map.get('type') === 'frame' && map.get('id') !== 'shape:closed')
    const frameId = frames()[0].get('id') as string
    const name = (doc: Y.Doc) => (getRecordsMap(doc).get(frameId)!.get('props') as Y.Map<unknown>).get('name')
    const original = name(bram.doc)
    const mallory = connect()
    await mallory.synced
    mallory.doc.transact(() => {
      const frame = getRecordsMap(mallory.doc).get(frameId)!
      ;(frame.get('props') as Y.Map<unknown>).set('name', 'Hacked')
      frame.set('isLocked', false)
      frame.set('x', -5000)
    })
    await waitFor(() => name(mallory.doc) === original && getRecordsMap(mallory.doc).get(frameId)!.get('isLocked') === true, "Mallory's copy to be put back")
    expect(name(bram.doc)).toBe(original)
    // Deleting it is refused too.
    mallory.doc.transact(() => getRecordsMap(mallory.doc).delete(frameId))
    await waitFor(() => getRecordsMap(mallory.doc).has(frameId), 'the frame to come back')
    // A note inside the template frame is what the frame is for.
    mallory.doc.transact(() => putRecord(getRecordsMap(mallory.doc), { ...noteRecord('shape:idea', 40, 120, 'idea'), parentId: frameId }))
    await waitFor(() => getRecordsMap(bram.doc).get('shape:idea')?.get('parentId') === frameId, 'the note inside the template frame')
    // A facilitator may rename it.
    facilitator.doc.transact(() => (getRecordsMap(facilitator.doc).get(frameId)!.get('props') as Y.Map<unknown>).set('name', 'Ronde 2'))
    await waitFor(() => name(bram.doc) === 'Ronde 2', 'the facilitator to rename it')
  })

  it('refuses updates that bring more new Yjs client ids than an honest browser ever does (a red-team finding)', async () => {
    // One update of placeholder (GC) structs under 200,000 made-up client ids: Yjs would keep every id
    // for good and copy them all in every later transaction, stalling the server for seconds per edit.
    const rogue = rawSocket(`${server.wsUrl}/${board.id}?key=${board.keys.participant}`)
    expect(await rogue.opened).toBe(true)
    const structs = encoding.createEncoder()
    const N = 200_000
    encoding.writeVarUint(structs, N)
    for (let i = 0; i < N; i++) {
      encoding.writeVarUint(structs, 1) // one struct of this client
      encoding.writeVarUint(structs, 0x10000000 + i) // client id
      encoding.writeVarUint(structs, 0) // clock
      encoding.writeUint8(structs, 0) // GC
      encoding.writeVarUint(structs, 1) // length
    }
    encoding.writeVarUint(structs, 0) // empty delete set
    const frame = encoding.createEncoder()
    encoding.writeVarUint(frame, 0) // sync
    encoding.writeVarUint(frame, 2) // update
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(structs))
    rogue.ws.send(encoding.toUint8Array(frame))
    const closed = await rogue.closed
    expect({ code: closed.code, reason: closed.reason }).toEqual({ code: Close.tooManyWriters.code, reason: Close.tooManyWriters.reason })
    // The board did not take them: its state vector is as small as before.
    const fresh = connect()
    await fresh.synced
    expect(Y.decodeStateVector(Y.encodeStateVector(fresh.doc)).size).toBeLessThan(50)
    await honestPeopleStillSync()
  })

  it('undoes a note too long for any browser to lay out, and a participant turning a shape into template structure', async () => {
    const mallory = connect()
    const told = notices(mallory)
    await mallory.synced
    mallory.doc.transact(() => putRecord(getRecordsMap(mallory.doc), noteRecord('shape:huge-text', 0, 0, 'A'.repeat(1_000_000))))
    await waitFor(() => told.some((n) => n.kind === 'refused' && n.reason === 'invalid-record'), 'the long note to be refused')
    await waitFor(() => !getRecordsMap(mallory.doc).has('shape:huge-text'), "Mallory's copy to lose it")
    expect(getRecordsMap(bram.doc).has('shape:huge-text')).toBe(false)
    // Her own frame, marked as a template's and locked: other participants could never move it again.
    const frame = { ...lockedFrame('shape:mine'), isLocked: false, meta: { template: 'focus-sharpener' } }
    mallory.doc.transact(() => putRecord(getRecordsMap(mallory.doc), frame))
    await waitFor(() => getRecordsMap(bram.doc).has('shape:mine'), 'her frame')
    mallory.doc.transact(() => getRecordsMap(mallory.doc).get('shape:mine')!.set('isLocked', true))
    await waitFor(() => getRecordsMap(mallory.doc).get('shape:mine')?.get('isLocked') === false, 'the lock to be undone')
    expect(getRecordsMap(bram.doc).get('shape:mine')?.get('isLocked')).toBe(false)
    // A page of her own, first in the list, would open every browser on it; renaming the board's page misleads everyone.
    mallory.doc.transact(() => {
      putRecord(getRecordsMap(mallory.doc), { id: 'page:evil', typeName: 'page', name: 'Evil', index: 'a0', meta: {} })
      getRecordsMap(mallory.doc).get('page:page')!.set('name', 'Renamed')
    })
    await waitFor(() => !getRecordsMap(mallory.doc).has('page:evil') && getRecordsMap(mallory.doc).get('page:page')?.get('name') !== 'Renamed', 'the pages to be put back')
    expect(getRecordsMap(bram.doc).has('page:evil')).toBe(false)
  })

  it('holds the same rules on every route: an offline sync step 2 and a private document', async () => {
    // Offline: the client edits before it ever connects, so everything arrives in its answer to the server's step 1.
    const offline = connect({ connect: false })
    offline.doc.transact(() => {
      putRecord(getRecordsMap(offline.doc), { ...noteRecord('shape:offline-in-frame', 5, 5, 'x'), parentId: 'shape:closed' })
      putRecord(getRecordsMap(offline.doc), noteRecord('shape:offline-fine', 5, 5, 'fine'))
    })
    offline.provider.connect()
    await waitFor(() => getRecordsMap(bram.doc).has('shape:offline-fine'), 'the valid offline note')
    await waitFor(() => !getRecordsMap(offline.doc).has('shape:offline-in-frame'), 'the note inside the locked frame undone')
    expect(getRecordsMap(bram.doc).has('shape:offline-in-frame')).toBe(false)
    const deepOffline = connect({ connect: false })
    deepOffline.doc.getMap('evil').set('x', new Y.Map())
    deepOffline.provider.connect()
    expect(await deepOffline.closed).toEqual({ code: Close.invalidUpdate.code, reason: Close.invalidUpdate.reason })
    deepOffline.destroy()
    // A private document takes only records, and only valid ones.
    const secret = 'integrity-private'.padEnd(30, 'p')
    const privately = connect({ params: { [PRIVATE_PARAM]: secret } })
    const told = notices(privately)
    await privately.synced
    const bogus = noteRecord('shape:private-bogus', 0, 0, 'x')
    privately.doc.transact(() => putRecord(getRecordsMap(privately.doc), { ...bogus, props: { ...(bogus.props as object), richText: { type: 'doc', content: [{ type: 'bogus' }] } } }))
    await waitFor(() => told.some((n) => n.kind === 'refused' && n.reason === 'invalid-record'), 'the private record to be refused')
    await waitFor(() => !getRecordsMap(privately.doc).has('shape:private-bogus'), 'the private copy to lose it')
    getSessionMap(privately.doc).set('privateMode', null)
    expect(await privately.closed).toEqual({ code: Close.invalidUpdate.code, reason: Close.invalidUpdate.reason })
    await honestPeopleStillSync()
  })

  it('protects every root by role and refuses roots and content the layout does not have', async () => {
    const mallory = connect()
    await mallory.synced
    getSessionMap(mallory.doc).set('timer', { durationMs: 1, endsAt: 0 })
    await waitFor(() => !getSessionMap(mallory.doc).has('timer'), 'the session change to be undone')
    for (const attack of [
      (doc: Y.Doc) => doc.getMap('evil').set('x', 1),
      (doc: Y.Doc) => getRecordsMap(doc).get('shape:honest-0')!.set('text', new Y.Text('rich')),
      (doc: Y.Doc) => (getRecordsMap(doc) as unknown as Y.Map<unknown>).set('shape:plain', { id: 'shape:plain' }),
      (doc: Y.Doc) => getRecordsMap(doc).get('shape:honest-0')!.set('bytes', new Uint8Array([1, 2])),
    ]) {
      const rogue = connect()
      await rogue.synced
      attack(rogue.doc)
      expect(await rogue.closed).toEqual({ code: Close.invalidUpdate.code, reason: Close.invalidUpdate.reason })
      rogue.destroy()
    }
    expect(bram.doc.share.has('evil') && bram.doc.getMap('evil').size > 0).toBe(false)
    await honestPeopleStillSync()
  })
})

describe('limits a participant cannot get past', () => {
  let server: TestServer
  let board: CreatedBoard
  const clients: TestClient[] = []

  beforeAll(async () => {
    server = await startServer({ env: { LOG_LEVEL: 'error', MAX_BOARD_BYTES: String(64 * 1024), MAX_UPDATES_PER_SECOND: '10', COMPACT_AFTER_UPDATES: '5' } })
    board = await createBoard(server.url, 'Limits')
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('stops a board from growing past MAX_BOARD_BYTES (board-full), while deleting still works', async () => {
    const mallory = connectClient(server.wsUrl, board.id)
    const honest = connectClient(server.wsUrl, board.id)
    clients.push(mallory, honest)
    const told = notices(mallory)
    await Promise.all([mallory.synced, honest.synced])
    // Notes of 9,000 characters (a note may hold 10,000): about seven fill 64 KiB.
    for (let i = 0; i < 12; i++) {
      mallory.doc.transact(() => putRecord(getRecordsMap(mallory.doc), noteRecord(`shape:big-${i}`, i, 0, `${i} `.padEnd(9000, 'word '))))
      await sleep(150)
    }
    await waitFor(() => told.some((n) => n.kind === 'refused' && n.reason === 'board-full'), 'Mallory to be told the board is full')
    const stored = Array.from(getRecordsMap(honest.doc).keys()).filter((key) => key.startsWith('shape:big-'))
    expect(stored.length).toBeGreaterThan(2)
    expect(stored.length).toBeLessThan(12)
    // The refused notes were undone in Mallory's copy too: both copies agree, and her later changes still apply.
    await waitFor(() => Array.from(getRecordsMap(mallory.doc).keys()).filter((key) => key.startsWith('shape:big-')).length === stored.length, "Mallory's copy to converge")
    mallory.doc.transact(() => getRecordsMap(mallory.doc).delete(stored[stored.length - 1]))
    await waitFor(() => !getRecordsMap(honest.doc).has(stored[stored.length - 1]), "Mallory's deletion to arrive")
    // Deleting makes room: the deletion is taken and reaches others.
    honest.doc.transact(() => getRecordsMap(honest.doc).delete(stored[0]))
    await sleep(300)
    const fresh = connectClient(server.wsUrl, board.id)
    clients.push(fresh)
    await fresh.synced
    expect(getRecordsMap(fresh.doc).has(stored[0])).toBe(false)
    expect(getRecordsMap(fresh.doc).has(stored[1])).toBe(true)
  })

  it('closes a connection that sends more updates per second than MAX_UPDATES_PER_SECOND with too-many-updates, alone', async () => {
    const honest = connectClient(server.wsUrl, board.id)
    const flooder = connectClient(server.wsUrl, board.id)
    clients.push(honest, flooder)
    await Promise.all([honest.synced, flooder.synced])
    const records = getRecordsMap(flooder.doc)
    flooder.doc.transact(() => putRecord(records, noteRecord('shape:flood', 0, 0, 'flood')))
    for (let i = 0; i < 60; i++) records.get('shape:flood')!.set('x', i)
    expect(await flooder.closed).toEqual({ code: Close.tooManyUpdates.code, reason: Close.tooManyUpdates.reason })
    expect(honest.provider.wsconnected).toBe(true)
    expect((await health(server.url)).ok).toBe(true)
  })
})
