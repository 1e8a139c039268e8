/**
 * Private mode is real privacy: a participant's private notes travel only
 * between their own browser and the server until the facilitator reveals
 * them. Another participant's client, inspected byte by byte, never receives
 * them before; after the reveal everyone has them, and they survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FACILITATOR_LOCK, getRecordsMap, getSessionMap, putRecord, yMapToRecord } from '../../shared/documentLayout'
import { PRIVATE_META, PRIVATE_MODE_KEY, PRIVATE_PARAM } from '../../shared/privateMode'
import { bearer, connectClient, createBoard, startServer, waitFor, type CreatedBoard, type TestClient, type TestServer } from '../test-utils/startServer'
import { noteRecord, sleep } from './faults/helpers/boardState'

describe('private mode', () => {
  let server: TestServer
  let board: CreatedBoard
  const clients: TestClient[] = []
  const connect = (role: 'facilitator' | 'participant' | 'viewer', privateSecret?: string) => {
    const client = connectClient(server.wsUrl, board.id, { role, params: privateSecret ? { [PRIVATE_PARAM]: privateSecret } : {} })
    clients.push(client)
    return client
  }
  const record = (client: TestClient, id: string) => {
    const map = getRecordsMap(client.doc).get(id)
    return map ? yMapToRecord(map) : undefined
  }

  beforeAll(async () => {
    server = await startServer()
    board = await createBoard(server.url, 'Ideas in silence', 'es')
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('keeps private notes from every other browser until the reveal, then shows them to all', async () => {
    const facilitator = connect('facilitator')
    const other = connect('participant')
    await Promise.all([facilitator.synced, other.synced])
    const received: Uint8Array[] = []
    for (const client of [facilitator, other]) client.doc.on('update', (update: Uint8Array) => received.push(update))
    facilitator.doc.transact(() => getSessionMap(facilitator.doc).set(PRIVATE_MODE_KEY, { since: Date.now() }))

    // Ana writes two private notes into her private document (as her browser does in private mode).
    const anaSecret = 'ana-secret'.padEnd(30, 'a')
    const anaPrivate = connect('participant', anaSecret)
    await anaPrivate.synced
    anaPrivate.doc.transact(() => {
      putRecord(getRecordsMap(anaPrivate.doc), { ...noteRecord('shape:ana-1', 0, 0, 'SECRET-IDEA-ONE'), meta: { [PRIVATE_META]: true } })
      putRecord(getRecordsMap(anaPrivate.doc), { ...noteRecord('shape:ana-2', 300, 0, 'SECRET-IDEA-TWO'), meta: { [PRIVATE_META]: true } })
    })
    // Bram has his own private document; he cannot see Ana's.
    const bramPrivate = connect('participant', 'bram-secret'.padEnd(30, 'b'))
    await bramPrivate.synced
    bramPrivate.doc.transact(() => putRecord(getRecordsMap(bramPrivate.doc), { ...noteRecord('shape:bram-1', 0, 300, 'BRAM-IDEA'), meta: { [PRIVATE_META]: true } }))
    // A forged id (an existing locked shape) and a lock mark must not survive the reveal's trusted move.
    facilitator.doc.transact(() => putRecord(getRecordsMap(facilitator.doc), { ...noteRecord('shape:agenda', 0, -500, 'Agenda'), isLocked: true, meta: { [FACILITATOR_LOCK]: true } }))
    bramPrivate.doc.transact(() => {
      putRecord(getRecordsMap(bramPrivate.doc), { ...noteRecord('shape:agenda', 999, 999, 'HIJACKED'), meta: { [PRIVATE_META]: true } })
      putRecord(getRecordsMap(bramPrivate.doc), { ...noteRecord('shape:bram-2', 0, 600, 'locked?'), meta: { [PRIVATE_META]: true, [FACILITATOR_LOCK]: true } })
    })
    await sleep(400)

    const everything = new TextDecoder().decode(Buffer.concat(received))
    expect(everything).not.toContain('SECRET-IDEA')
    expect(everything).not.toContain('BRAM-IDEA')
    expect(record(bramPrivate, 'shape:ana-1')).toBeUndefined()
    // A viewer has no private document at all.
    const viewerPrivate = connect('viewer', 'viewer-secret'.padEnd(30, 'v'))
    expect(await viewerPrivate.closed).toEqual({ code: 4403, reason: 'forbidden' })

    // Only a facilitator reveals.
    const reveal = (key: string) => fetch(`${server.url}/api/boards/${board.id}/private/reveal`, { method: 'POST', headers: bearer(key) })
    expect((await reveal(board.keys.participant)).status).toBe(403)
    const res = await reveal(board.keys.facilitator)
    expect(await res.json()).toEqual({ revealed: 4, people: 2 })

    for (const client of [facilitator, other]) {
      await waitFor(() => record(client, 'shape:ana-2') && record(client, 'shape:bram-1'), 'the revealed notes')
      expect(record(client, 'shape:ana-1')!.meta).toEqual({})
      expect(record(client, 'shape:agenda')!.x).toBe(0) // not hijacked
      expect(record(client, 'shape:bram-2')!.meta).toEqual({}) // no lock mark
      expect(getSessionMap(client.doc).get(PRIVATE_MODE_KEY)).toBeUndefined()
    }
    // The private documents are empty now.
    await waitFor(() => getRecordsMap(anaPrivate.doc).size === 0, "Ana's private document emptied")

    server = await server.restart()
    const later = connect('viewer')
    await later.synced
    expect(record(later, 'shape:ana-1')).toBeDefined()
    expect(Y.encodeStateAsUpdate(later.doc).byteLength).toBeGreaterThan(0)
  })
})
