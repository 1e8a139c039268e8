/**
 * Attack report #12, finding 8: no participant (nor anyone without a link)
 * can fill the server. Boards per address per hour, images per board (count
 * and bytes), image uploads per hour per board and per address, private
 * documents per board: each refused by name. And images nobody uses any more
 * are deleted once a grace period has passed, while used ones stay.
 * Every check here goes through a raw HTTP or websocket client against a real server process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { type ApiError, type UploadedAsset } from '../../shared/api'
import { getRecordsMap, putRecord, type PlainRecord } from '../../shared/documentLayout'
import { PRIVATE_PARAM } from '../../shared/privateMode'
import { Close } from '../../shared/protocol'
import { bearer, connectClient, createBoard, startServer, syncUrl, waitFor, type CreatedBoard, type TestClient, type TestServer } from '../test-utils/startServer'
import { sleep } from './faults/helpers/boardState'

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

/** The headers a local reverse proxy adds for a person at `address` (trusted from loopback only). */
const from = (address: string) => ({ 'x-forwarded-for': address })

async function create(server: TestServer, address: string) {
  const res = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...from(address) },
    body: JSON.stringify({ title: 'Buurtdialoog', language: 'nl' }),
  })
  const body = (await res.json()) as Partial<ApiError>
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') }
}

async function upload(server: TestServer, board: CreatedBoard, opts: { address?: string; bytes?: Buffer } = {}) {
  const res = await fetch(`${server.url}/api/boards/${board.id}/assets`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', ...bearer(board.keys.participant), ...from(opts.address ?? '198.51.100.1') },
    body: new Uint8Array(opts.bytes ?? PNG),
  })
  const body = (await res.json()) as Partial<ApiError> & Partial<UploadedAsset>
  return { status: res.status, code: body.error?.code, src: body.src, retryAfter: res.headers.get('retry-after') }
}

describe('board creation per address', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ env: { BOARDS_PER_HOUR_PER_ADDRESS: '3' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses a fourth board within the hour from one address with 429 too-many-boards, others carry on', async () => {
    for (let i = 0; i < 3; i++) expect((await create(server, '203.0.113.9')).status).toBe(201)
    const refused = await create(server, '203.0.113.9')
    expect(refused).toMatchObject({ status: 429, code: 'too-many-boards' })
    expect(Number(refused.retryAfter)).toBeGreaterThan(3500)
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600)
    // The same /64 counts as one address; another network is not affected.
    expect((await create(server, '2001:db8:5:6::1')).status).toBe(201)
    expect((await create(server, '2001:db8:5:6::1')).status).toBe(201)
    expect((await create(server, '2001:db8:5:6::1')).status).toBe(201)
    expect((await create(server, '2001:db8:5:6:abcd::2')).code).toBe('too-many-boards')
    expect((await create(server, '192.0.2.44')).status).toBe(201)
  })

  it('does not count a refused body', async () => {
    const bad = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from('192.0.2.80') },
      body: JSON.stringify({ title: '', language: 'nl' }),
    })
    expect(bad.status).toBe(400)
    for (let i = 0; i < 3; i++) expect((await create(server, '192.0.2.80')).status).toBe(201)
  })
})

describe('images per board', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({
      env: { MAX_IMAGES_PER_BOARD: '3', MAX_IMAGE_BYTES_PER_BOARD: '1000' },
    })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses a board its fourth image with 413 board-images-full', async () => {
    const board = await createBoard(server.url)
    for (let i = 0; i < 3; i++) expect((await upload(server, board, { address: '198.51.100.10' })).status).toBe(201)
    expect(await upload(server, board, { address: '198.51.100.10' })).toMatchObject({ status: 413, code: 'board-images-full' })
  })

  it('refuses an image that would take a board past its bytes with 413 board-images-full', async () => {
    const board = await createBoard(server.url)
    expect((await upload(server, board, { address: '198.51.100.11', bytes: Buffer.concat([PNG, Buffer.alloc(900 - PNG.length)]) })).status).toBe(201)
    expect(await upload(server, board, { address: '198.51.100.11', bytes: Buffer.concat([PNG, Buffer.alloc(200 - PNG.length)]) })).toMatchObject({
      status: 413,
      code: 'board-images-full',
    })
    expect((await upload(server, board, { address: '198.51.100.11' })).status).toBe(201)
  })
})

describe('image uploads per hour', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ env: { UPLOADS_PER_HOUR_PER_BOARD: '4', UPLOADS_PER_HOUR_PER_ADDRESS: '6' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses uploads beyond the hourly rate of a board and of an address with 429 too-many-uploads', async () => {
    // Per board: 4 an hour, whatever the address.
    const board = await createBoard(server.url)
    const results = []
    for (let i = 0; i < 5; i++) results.push(await upload(server, board, { address: `198.51.100.${20 + i}` }))
    expect(results.slice(0, 4).map((r) => r.status)).toEqual([201, 201, 201, 201])
    expect(results[4]).toMatchObject({ status: 429, code: 'too-many-uploads' })
    expect(Number(results[4].retryAfter)).toBeGreaterThan(3500)

    // Per address: 6 an hour over all boards (the same /64 counts as one).
    const boards = await Promise.all([0, 1].map(() => createBoard(server.url)))
    const statuses = []
    for (const b of boards) for (let i = 0; i < 4; i++) statuses.push(await upload(server, b, { address: `2001:db8:77::${i + 1}` }))
    expect(statuses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201, 429, 429])
    expect(statuses[6].code).toBe('too-many-uploads')
    // Someone else may still add to that board.
    expect((await upload(server, boards[1], { address: '2001:db8:78::1' })).status).toBe(201)
  })
})

describe('unused images', () => {
  const GRACE_MS = 1500
  let server: TestServer
  const clients: TestClient[] = []
  beforeAll(async () => {
    server = await startServer({ env: { UNUSED_IMAGE_GRACE_MS: String(GRACE_MS), ROOM_IDLE_MS: '200' } })
  })
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy()
  })
  afterAll(async () => {
    await server?.stop()
  })

  const assetRecord = (id: string, src: string): PlainRecord =>
    ({
      id,
      typeName: 'asset',
      type: 'image',
      meta: {},
      props: { name: 'photo.png', src, w: 1, h: 1, mimeType: 'image/png', isAnimated: false, fileSize: PNG.length },
    }) as unknown as PlainRecord
  const status = async (src: string) => (await fetch(`${server.url}${src}`)).status

  it('deletes an image no document refers to once the grace period has passed, and keeps the ones in use', async () => {
    const board = await createBoard(server.url)
    const [used, unused, usedPrivately, removed] = await Promise.all([0, 1, 2, 3].map(() => upload(server, board)))
    for (const image of [used, unused, usedPrivately, removed]) expect(image.status).toBe(201)

    // The board refers to two images; a participant's private document to a third; the fourth is
    // referred to and then deleted from the board (as when someone deletes a picture).
    const participant = connectClient(server.wsUrl, board.id)
    const privately = connectClient(server.wsUrl, board.id, { params: { [PRIVATE_PARAM]: 'private-images'.padEnd(30, 'p') } })
    clients.push(participant, privately)
    await Promise.all([participant.synced, privately.synced])
    participant.doc.transact(() => {
      putRecord(getRecordsMap(participant.doc), assetRecord('asset:used', used.src!))
      putRecord(getRecordsMap(participant.doc), assetRecord('asset:removed', removed.src!))
    })
    privately.doc.transact(() => putRecord(getRecordsMap(privately.doc), assetRecord('asset:private', usedPrivately.src!)))
    await sleep(200)
    participant.doc.transact(() => getRecordsMap(participant.doc).delete('asset:removed'))

    // Within the grace period nothing is deleted (undo and offline browsers can still bring it back).
    await sleep(GRACE_MS / 2)
    expect(await status(unused.src!)).toBe(200)
    expect(await status(removed.src!)).toBe(200)

    await waitFor(async () => (await status(unused.src!)) === 404 && (await status(removed.src!)) === 404, 'the unused images to be deleted', 15_000)
    expect(await status(used.src!)).toBe(200)
    expect(await status(usedPrivately.src!)).toBe(200)

    // Also once everyone has left and the documents were unloaded (read back from storage).
    participant.destroy()
    privately.destroy()
    await sleep(GRACE_MS + 1000)
    expect(await status(used.src!)).toBe(200)
    expect(await status(usedPrivately.src!)).toBe(200)
  })
})

describe('private documents per board', () => {
  let server: TestServer
  const sockets: WebSocket[] = []
  beforeAll(async () => {
    server = await startServer({ env: { MAX_PRIVATE_DOCUMENTS_PER_BOARD: '2' } })
  })
  afterAll(async () => {
    for (const socket of sockets) socket.terminate()
    await server?.stop()
  })

  /** A raw websocket on `secret`'s private document: 'open' once it stays open for a while, or its close code and reason. */
  async function openPrivate(board: CreatedBoard, secret: string): Promise<'open' | { code: number; reason: string }> {
    const socket = new WebSocket(`${syncUrl(server.wsUrl, board.id)}&${PRIVATE_PARAM}=${secret}`)
    sockets.push(socket)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('open'), 600)
      socket.on('close', (code, reason) => {
        clearTimeout(timer)
        resolve({ code, reason: reason.toString() })
      })
    })
  }

  it('closes a new private document beyond the limit with 4430 too-many-private-documents; existing ones reopen', async () => {
    const board = await createBoard(server.url)
    const secret = (n: number) => `participant-${n}`.padEnd(30, 'x')
    expect(await openPrivate(board, secret(1))).toBe('open')
    expect(await openPrivate(board, secret(2))).toBe('open')
    expect(await openPrivate(board, secret(3))).toEqual({ code: Close.tooManyPrivateDocuments.code, reason: 'too-many-private-documents' })
    // The first two reopen (another tab, a reconnect).
    expect(await openPrivate(board, secret(1))).toBe('open')
    // The limit is per board.
    const other = await createBoard(server.url)
    expect(await openPrivate(other, secret(3))).toBe('open')
  })
})
