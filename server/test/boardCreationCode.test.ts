/**
 * IT story: a municipality runs the server on the internet with
 * BOARD_CREATION_CODE, so only its organisers create boards. Without the code,
 * or with a wrong one, nothing is created; an address that keeps guessing is
 * refused for a while, while organisers elsewhere carry on; and everyone who
 * holds a board link works exactly as before, without ever being asked for a code.
 * A server without the setting stays open to anyone, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BOARD_CREATION_CODE_HEADER, type BoardAccess } from '../../shared/api'
import { getRecordsMap } from '../../shared/documentLayout'
import { FAILURE_LIMIT, FAILURE_WINDOW_MS } from '../src/access/creationCode'
import { bearer, connectClient, createBoard, startServer, waitFor, type TestServer } from '../test-utils/startServer'
import { addNote } from '../test-utils/records'

const CODE = 'Leuven-Tarija-2026'
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

/** POST /api/boards with `headers` (a code, a forwarded address). */
async function create(server: TestServer, headers: Record<string, string> = {}, title = 'Dialogue') {
  const res = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title, language: 'nl' }),
  })
  const body = (await res.json()) as BoardAccess & { error?: { code: string; message: string } }
  return { status: res.status, code: body.error?.code, body, retryAfter: res.headers.get('retry-after') }
}

/** The headers a local reverse proxy adds for a person at `address` (the server trusts them from loopback only). */
const from = (address: string, code?: string) => ({ 'x-forwarded-for': address, ...(code === undefined ? {} : { [BOARD_CREATION_CODE_HEADER]: code }) })

describe('a server without BOARD_CREATION_CODE', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('lets anyone create boards, as before, and says so to the client', async () => {
    expect((await (await fetch(`${server.url}/api/config`)).json()).boardCreation).toBe('open')
    expect((await create(server)).status).toBe(201)
    // A code sent to an open server is simply not looked at.
    expect((await create(server, { [BOARD_CREATION_CODE_HEADER]: 'whatever-it-is' })).status).toBe(201)
  })
})

describe('a server with BOARD_CREATION_CODE', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ env: { BOARD_CREATION_CODE: CODE } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('tells the client a code is needed, without ever telling the code', async () => {
    const res = await fetch(`${server.url}/api/config`)
    expect((await res.clone().json()).boardCreation).toBe('code')
    expect(await res.text()).not.toContain(CODE)
  })

  it('creates a board only with the right code: 401 without, 403 with a wrong one, 201 with it', async () => {
    expect(await create(server)).toMatchObject({ status: 401, code: 'creation-code-required' })
    expect(await create(server, { [BOARD_CREATION_CODE_HEADER]: '' })).toMatchObject({ status: 401, code: 'creation-code-required' })
    // A board key is no organiser code.
    const board = await createBoard(server.url, 'Existing', 'en', undefined, { creationCode: CODE })
    expect(await create(server, bearer(board.keys.facilitator))).toMatchObject({ status: 401, code: 'creation-code-required' })
    const wrong = await create(server, { [BOARD_CREATION_CODE_HEADER]: 'Leuven-Tarija-2025' })
    expect(wrong).toMatchObject({ status: 403, code: 'creation-code-wrong' })
    expect(wrong.body.error?.message).not.toContain(CODE)
    const created = await create(server, { [BOARD_CREATION_CODE_HEADER]: CODE }, 'Buurtdialoog')
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ role: 'facilitator', board: { title: 'Buurtdialoog', language: 'nl' } })
  })

  it('checks the code before the body: a refused request is refused whatever it carries', async () => {
    const res = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title": ' })
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('creation-code-required')
  })

  it('refuses an address that keeps guessing for a while, while the right code works from elsewhere', async () => {
    const guesser = '198.51.100.23'
    for (let i = 1; i <= FAILURE_LIMIT; i++) {
      expect(await create(server, from(guesser, `guess-number-${i}`))).toMatchObject({ status: 403, code: 'creation-code-wrong' })
    }
    const refused = await create(server, from(guesser, 'guess-number-x'))
    expect(refused).toMatchObject({ status: 429, code: 'too-many-attempts' })
    const retryAfter = Number(refused.retryAfter)
    expect(retryAfter).toBeGreaterThan(FAILURE_WINDOW_MS / 1000 - 60)
    expect(retryAfter).toBeLessThanOrEqual(FAILURE_WINDOW_MS / 1000)
    // Even the right code: otherwise the guessing would simply go on.
    expect(await create(server, from(guesser, CODE))).toMatchObject({ status: 429, code: 'too-many-attempts' })
    // An organiser at another address is not affected, nor is one connecting directly.
    expect((await create(server, from('203.0.113.7', CODE))).status).toBe(201)
    expect((await create(server, { [BOARD_CREATION_CODE_HEADER]: CODE })).status).toBe(201)
    expect(server.stderr()).toMatch(/too many wrong organiser codes.*198\.51\.100\.23/)
    expect(server.stderr()).not.toContain(CODE)
  })

  it('asks nothing of the people who hold a board link', async () => {
    const board = await createBoard(server.url, 'Diálogo digital', 'es', undefined, { creationCode: CODE })
    const api = (path: string, key: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { ...bearer(key), ...(init.headers as Record<string, string>) } })

    for (const role of ['facilitator', 'interpreter', 'participant', 'viewer'] as const) {
      const read = await api(`/api/boards/${board.id}`, board.keys[role])
      expect(read.status, role).toBe(200)
      expect(((await read.json()) as BoardAccess).role).toBe(role)
    }
    const participant = connectClient(server.wsUrl, board.id, { role: 'participant' })
    const viewer = connectClient(server.wsUrl, board.id, { role: 'viewer' })
    await Promise.all([participant.synced, viewer.synced])
    addNote(participant.doc, 'shape:hola', 'hola')
    await waitFor(() => getRecordsMap(viewer.doc).has('shape:hola'), "the participant's note at the viewer")
    participant.destroy()
    viewer.destroy()

    const upload = await api(`/api/boards/${board.id}/assets`, board.keys.participant, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(PNG),
    })
    expect(upload.status).toBe(201)
    expect((await fetch(`${server.url}${((await upload.json()) as { src: string }).src}`)).status).toBe(200)
    expect((await fetch(`${server.url}/api/templates`)).status).toBe(200)
    const rename = await api(`/api/boards/${board.id}`, board.keys.facilitator, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Diálogo digital 2' }),
    })
    expect(rename.status).toBe(200)
    expect((await api(`/api/boards/${board.id}/keys/viewer`, board.keys.facilitator, { method: 'POST' })).status).toBe(200)
    expect((await api(`/api/boards/${board.id}`, board.keys.facilitator, { method: 'DELETE' })).status).toBe(204)
  })
})

describe('start-up with BOARD_CREATION_CODE', () => {
  it('refuses a code shorter than 8 characters, naming the variable and not the code', async () => {
    const failure = await startServer({ env: { BOARD_CREATION_CODE: 'gent26' } }).then(
      () => new Error('the server started'),
      (error: Error) => error,
    )
    expect(failure.message).toMatch(/Invalid BOARD_CREATION_CODE: must be at least 8 characters long, got 6/)
    expect(failure.message).not.toContain('gent26')
  })
})
