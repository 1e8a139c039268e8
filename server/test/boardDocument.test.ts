/**
 * A newcomer's browser fetches the board compressed over HTTP before it opens
 * the websocket (GET /api/boards/:id/document). Against a real server: the
 * link's key decides as everywhere else, every encoding decodes to the very
 * document a stock websocket client syncs, and a private document never
 * leaves this way.
 */
import http from 'node:http'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, putRecord } from '../../shared/documentLayout'
import { PRIVATE_META, PRIVATE_PARAM } from '../../shared/privateMode'
import { bearer, connectClient, createBoard, startServer, waitFor, type CreatedBoard, type TestClient, type TestServer } from '../test-utils/startServer'
import { noteRecord } from './faults/helpers/boardState'

interface RawAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  /** The body exactly as sent (fetch would decompress it for us). */
  body: Buffer
}

function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

const recordsOf = (doc: Y.Doc) => getRecordsMap(doc).toJSON()

describe('the board document over HTTP', () => {
  let server: TestServer
  let board: CreatedBoard
  const clients: TestClient[] = []
  const documentUrl = (id = board.id) => `${server.url}/api/boards/${id}/document`
  const get = (headers: Record<string, string>, id?: string) => rawGet(documentUrl(id), headers)

  beforeAll(async () => {
    server = await startServer()
    board = await createBoard(server.url, 'Big board', 'es')
    // A few hundred notes, so compression has something to do.
    const writer = connectClient(server.wsUrl, board.id, { role: 'facilitator' })
    clients.push(writer)
    await writer.synced
    writer.doc.transact(() => {
      for (let i = 0; i < 300; i++) putRecord(getRecordsMap(writer.doc), noteRecord(`shape:n${i}`, (i % 20) * 220, Math.floor(i / 20) * 220, `Idea number ${i} about the plaza`))
    })
    // Stored once a second client sees all of it.
    const check = connectClient(server.wsUrl, board.id, { role: 'viewer' })
    clients.push(check)
    await check.synced
    await waitFor(() => getRecordsMap(check.doc).has('shape:n299') || undefined, 'the notes to reach the server')
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('asks for the link key: 401 without, 403 with a wrong one, 404 for an unknown board; every role may read', async () => {
    const errorOf = async (answer: RawAnswer) => ({ status: answer.status, code: (JSON.parse(answer.body.toString()) as { error: { code: string } }).error.code })
    expect(await errorOf(await get({}))).toEqual({ status: 401, code: 'unauthorized' })
    expect(await errorOf(await get(bearer('A'.repeat(22))))).toEqual({ status: 403, code: 'forbidden' })
    const other = await createBoard(server.url)
    expect(await errorOf(await get(bearer(other.keys.facilitator)))).toEqual({ status: 403, code: 'forbidden' })
    expect(await errorOf(await get(bearer(board.keys.facilitator), 'B'.repeat(22)))).toEqual({ status: 404, code: 'not-found' })
    for (const role of ['facilitator', 'participant', 'viewer'] as const) {
      const answer = await get(bearer(board.keys[role]))
      expect(answer.status, role).toBe(200)
      expect(answer.headers['content-type']).toBe('application/octet-stream')
      expect(answer.headers['cache-control']).toBe('no-store')
    }
  })

  it('sends br, gzip or nothing as asked, each decoding to the document a stock websocket client syncs', async () => {
    const reference = connectClient(server.wsUrl, board.id, { role: 'viewer' })
    clients.push(reference)
    await reference.synced
    const key = bearer(board.keys.viewer)
    const cases = [
      { accept: 'gzip, deflate, br, zstd', encoding: 'br', decode: (body: Buffer) => zlib.brotliDecompressSync(body) },
      { accept: 'gzip', encoding: 'gzip', decode: (body: Buffer) => zlib.gunzipSync(body) },
      { accept: 'br;q=0, gzip;q=0.5', encoding: 'gzip', decode: (body: Buffer) => zlib.gunzipSync(body) },
      { accept: 'identity', encoding: undefined, decode: (body: Buffer) => body },
      { accept: '', encoding: undefined, decode: (body: Buffer) => body },
    ]
    const sizes: Record<string, number> = {}
    for (const { accept, encoding, decode } of cases) {
      const answer = await get({ ...key, 'accept-encoding': accept })
      expect(answer.status, accept).toBe(200)
      expect(answer.headers['content-encoding'], accept).toBe(encoding)
      expect(answer.headers.vary).toMatch(/accept-encoding/i)
      expect(Number(answer.headers['content-length'])).toBe(answer.body.byteLength)
      sizes[encoding ?? 'identity'] = answer.body.byteLength
      const doc = new Y.Doc()
      Y.applyUpdate(doc, new Uint8Array(decode(answer.body)))
      expect(recordsOf(doc), accept).toEqual(recordsOf(reference.doc))
      expect(Y.encodeStateVector(doc), accept).toEqual(Y.encodeStateVector(reference.doc))
      expect(getRecordsMap(doc).has('shape:n299')).toBe(true)
      doc.destroy()
    }
    // Worth the detour: the compressed board is a fraction of the raw one.
    expect(sizes.br).toBeLessThan(sizes.identity / 2)
    expect(sizes.gzip).toBeLessThan(sizes.identity / 2)
  })

  it('carries an edit made after an earlier request (the cached copy is not served stale)', async () => {
    const key = { ...bearer(board.keys.participant), 'accept-encoding': 'br' }
    expect((await get(key)).status).toBe(200)
    const editor = connectClient(server.wsUrl, board.id, { role: 'participant' })
    clients.push(editor)
    await editor.synced
    editor.doc.transact(() => putRecord(getRecordsMap(editor.doc), noteRecord('shape:late', 0, -300, 'Added later')))
    await waitFor(async () => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, new Uint8Array(zlib.brotliDecompressSync((await get(key)).body)))
      return getRecordsMap(doc).has('shape:late') || undefined
    }, 'the edit in the served document')
  })

  it('never serves a private document, by name or inside the board', async () => {
    const writer = connectClient(server.wsUrl, board.id, { role: 'participant', params: { [PRIVATE_PARAM]: 'ana-secret'.padEnd(30, 'a') } })
    clients.push(writer)
    await writer.synced
    writer.doc.transact(() => putRecord(getRecordsMap(writer.doc), { ...noteRecord('shape:secret', 0, 0, 'PRIVATE-IDEA-XYZ'), meta: { [PRIVATE_META]: true } }))
    // Stored once it comes back through a second private client with the same secret.
    const again = connectClient(server.wsUrl, board.id, { role: 'participant', params: { [PRIVATE_PARAM]: 'ana-secret'.padEnd(30, 'a') } })
    clients.push(again)
    await again.synced
    await waitFor(() => getRecordsMap(again.doc).has('shape:secret') || undefined, 'the private note to be stored')

    const answer = await get({ ...bearer(board.keys.facilitator), 'accept-encoding': 'identity' })
    expect(answer.status).toBe(200)
    expect(answer.body.includes('PRIVATE-IDEA-XYZ')).toBe(false)
    // A private document's name is not a board id: nothing answers to it.
    for (const name of [`${board.id}~owner`, `${board.id}%7Eowner`]) {
      expect((await get(bearer(board.keys.facilitator), name)).status, name).toBe(404)
    }
  })
})
