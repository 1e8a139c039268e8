/**
 * User story: people on one board see each other's edits, a late joiner gets
 * everything, and a new board already has its document and first page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AGENDA_KEY, changeAgenda, readAgenda, stepAdded, stepEdited } from '../../shared/agenda'
import { getMetaMap, getRecordsMap, getSessionMap, SCHEMA_KEY, yMapToRecord } from '../../shared/documentLayout'
import { Close, MessageType, PROTOCOL_VERSION, type StatusNotice } from '../../shared/protocol'
import { decodeStatusFrame } from '../../shared/statusFrame'
import { PROTOCOL_PARAM } from '../../shared/syncHandshake'
import { connectClient, createBoard, startServer, waitFor, type TestClient, type TestServer } from '../test-utils/startServer'
import { addNote } from '../test-utils/records'

describe('collaborating on a board', () => {
  let server: TestServer
  const clients: TestClient[] = []
  const connect = (boardId: string) => {
    const client = connectClient(server.wsUrl, boardId)
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('starts a new board with the tldraw document and a first page named in its language', async () => {
    const board = await createBoard(server.url, 'Taller', 'es')
    const client = connect(board.id)
    await client.synced
    const records = getRecordsMap(client.doc)
    expect(yMapToRecord(records.get('document:document')!)).toMatchObject({ id: 'document:document', typeName: 'document' })
    expect(yMapToRecord(records.get('page:page')!)).toMatchObject({ id: 'page:page', typeName: 'page', name: 'Página 1', index: 'a1' })
    const schema = getMetaMap(client.doc).get(SCHEMA_KEY) as { schemaVersion?: number } | undefined
    expect(schema?.schemaVersion).toBeGreaterThanOrEqual(2)
  })

  it('shows each edit to the other person and gives a late joiner everything', async () => {
    const board = await createBoard(server.url)
    const ana = connect(board.id)
    const bram = connect(board.id)
    await Promise.all([ana.synced, bram.synced])

    addNote(ana.doc, 'shape:a')
    addNote(bram.doc, 'shape:b')
    await waitFor(() => getRecordsMap(ana.doc).has('shape:b') && getRecordsMap(bram.doc).has('shape:a'), 'both edits on both sides')

    const late = connect(board.id)
    await late.synced
    const ids = Array.from(getRecordsMap(late.doc).keys()).sort()
    expect(ids).toEqual(['document:document', 'page:page', 'shape:a', 'shape:b'])
    expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(ana.doc))
  })

  it('merges two facilitators converting an old single-value agenda while offline into one agenda, kept after a restart', async () => {
    const board = await createBoard(server.url)
    const facilitator = (name: string) => {
      const client = connectClient(server.wsUrl, board.id, { role: 'facilitator' })
      clients.push(client)
      return client
    }
    const ana = facilitator('ana')
    const bram = facilitator('bram')
    await Promise.all([ana.synced, bram.synced])
    // As a client from before the per-step layout wrote it.
    const step = (id: string, title: string) => ({ id, title, minutes: 10, instructions: {}, frameId: null, mode: 'plenary' })
    getSessionMap(ana.doc).set(AGENDA_KEY, { startsAt: null, current: null, currentSince: null, steps: [step('a', 'Welcome'), step('b', 'Groups')] })
    await waitFor(() => getSessionMap(bram.doc).has(AGENDA_KEY), 'the old agenda reaching Bram')

    ana.provider.disconnect()
    bram.provider.disconnect()
    changeAgenda(ana.doc, (agenda) => stepEdited(agenda, 'a', { title: 'Bienvenida' }))
    changeAgenda(bram.doc, (agenda) => stepEdited(agenda, 'b', { title: 'Grupos' }))
    changeAgenda(bram.doc, (agenda) => stepAdded(agenda, 'c', { title: 'Cierre', minutes: 5, instructions: {}, frameId: null, mode: 'plenary' }))
    ana.provider.connect()
    bram.provider.connect()

    const titles = (doc: Y.Doc) => readAgenda(getSessionMap(doc)).steps.map((s) => s.title).join()
    const expected = 'Bienvenida,Grupos,Cierre'
    await waitFor(() => titles(ana.doc) === expected && titles(bram.doc) === expected, 'both conversions and edits on both sides')
    server = await server.restart()
    const late = connect(board.id)
    await late.synced
    expect(titles(late.doc)).toBe(expected)
    expect(getSessionMap(late.doc).has(AGENDA_KEY)).toBe(false)
  })

  it('relays presence, and removes a person who leaves', async () => {
    const board = await createBoard(server.url)
    const ana = connect(board.id)
    const bram = connect(board.id)
    await Promise.all([ana.synced, bram.synced])
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana' })
    await waitFor(() => bram.provider.awareness.getStates().get(ana.doc.clientID)?.user?.name === 'Ana', 'Ana visible to Bram')
    ana.provider.disconnect()
    await waitFor(() => !bram.provider.awareness.getStates().has(ana.doc.clientID), 'Ana gone for Bram')
  })
})

describe('protocol handshake', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server?.stop()
  })

  /** Every Status notice the client receives. */
  function statusNotices(client: TestClient): StatusNotice[] {
    const notices: StatusNotice[] = []
    client.provider.messageHandlers[MessageType.Status] = (_encoder, decoder) => {
      const notice = decodeStatusFrame(decoder.arr)
      if (notice) notices.push(notice)
    }
    return notices
  }

  it('greets a client that declares our protocol, and leaves the stock provider alone', async () => {
    const board = await createBoard(server.url)
    const ours = connectClient(server.wsUrl, board.id, { params: { [PROTOCOL_PARAM]: String(PROTOCOL_VERSION) } })
    const stock = connectClient(server.wsUrl, board.id)
    const [oursNotices, stockNotices] = [statusNotices(ours), statusNotices(stock)]
    await Promise.all([ours.synced, stock.synced])
    expect(oursNotices).toEqual([{ kind: 'hello', protocolVersion: PROTOCOL_VERSION, readOnly: false }])
    expect(stockNotices).toEqual([])
    ours.destroy()
    stock.destroy()
  })

  it('closes a client older than the server supports with protocol-too-old', async () => {
    const board = await createBoard(server.url)
    const old = connectClient(server.wsUrl, board.id, { params: { [PROTOCOL_PARAM]: '0' } })
    expect(await old.closed).toEqual({ code: Close.protocolTooOld.code, reason: Close.protocolTooOld.reason })
    old.destroy()
  })
})

describe('starting the server', () => {
  it('refuses a bad setting with a message naming it and a non-zero exit', async () => {
    await expect(startServer({ env: { SQLITE_SYNCHRONOUS: 'sometimes' } })).rejects.toThrow(/Invalid SQLITE_SYNCHRONOUS/)
  })
})
