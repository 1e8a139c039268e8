/**
 * Facilitator story through the HTTP API: create, read, rename and delete
 * boards through their links' keys; upload images; and get clear JSON errors
 * for bad requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardAccess } from '../../shared/api'
import { bearer, connectClient, createBoard, startServer, type TestServer } from '../test-utils/startServer'

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
const MAX_ASSET_BYTES = 4096

describe('HTTP API', () => {
  let server: TestServer
  const api = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init)
  const json = (method: string, body: string, key?: string) => ({
    method,
    headers: { 'content-type': 'application/json', ...(key ? bearer(key) : {}) },
    body,
  })

  beforeAll(async () => {
    server = await startServer({ env: { MAX_ASSET_BYTES: String(MAX_ASSET_BYTES), TLDRAW_LICENSE_KEY: 'test-key' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('reports health and client configuration', async () => {
    const health = await (await api('/healthz')).json()
    expect(health).toMatchObject({ ok: true, rooms: 0, connections: 0 })
    expect(typeof health.uptimeSeconds).toBe('number')
    expect(await (await api('/api/config')).json()).toEqual({
      tldrawLicenseKey: 'test-key',
      publicUrl: null,
      maxAssetBytes: MAX_ASSET_BYTES,
      assetMimeTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'],
      boardCreation: 'open',
    })
  })

  it('creates a board with a link per role, reads, renames and deletes it with the facilitator key', async () => {
    const res = await api('/api/boards', json('POST', JSON.stringify({ title: '  Retro  ', language: 'nl' })))
    expect(res.status).toBe(201)
    const created = (await res.json()) as BoardAccess
    const first = created.board
    expect(first).toMatchObject({ title: 'Retro', language: 'nl' })
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(created.role).toBe('facilitator')
    const { facilitator, participant, viewer } = created.keys as Record<string, string>
    for (const key of [facilitator, participant, viewer]) expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(new Set([facilitator, participant, viewer, first.id]).size).toBe(4)

    await new Promise((resolve) => setTimeout(resolve, 5))
    const renamed = await api(`/api/boards/${first.id}`, json('PATCH', JSON.stringify({ title: 'Retrospective' }), facilitator))
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({ id: first.id, title: 'Retrospective' })
    // Each role reads the board and sees only the links it may share.
    const read = async (key: string) => (await (await api(`/api/boards/${first.id}`, { headers: bearer(key) })).json()) as BoardAccess
    expect(await read(facilitator)).toEqual({ board: expect.objectContaining({ title: 'Retrospective', language: 'nl' }), role: 'facilitator', keys: created.keys })
    expect(await read(participant)).toMatchObject({ role: 'participant', keys: { participant, viewer } })
    expect(Object.keys((await read(participant)).keys).sort()).toEqual(['participant', 'viewer'])
    expect(await read(viewer)).toMatchObject({ role: 'viewer', keys: { viewer } })
    expect(Object.keys((await read(viewer)).keys)).toEqual(['viewer'])
    // No list of every board on the server.
    expect((await api('/api/boards')).status).toBe(404)

    const client = connectClient(server.wsUrl, first.id, { key: participant })
    await client.synced
    expect((await api(`/api/boards/${first.id}`, { method: 'DELETE', headers: bearer(facilitator) })).status).toBe(204)
    expect(await client.closed).toEqual({ code: 4410, reason: 'board-deleted' })
    client.destroy()
    expect((await api(`/api/boards/${first.id}`, { headers: bearer(facilitator) })).status).toBe(404)
    const reconnect = connectClient(server.wsUrl, first.id, { key: participant })
    expect(await reconnect.closed).toEqual({ code: 4404, reason: 'unknown-board' })
    reconnect.destroy()
  })

  it('refuses a missing key (401), a wrong key or a weaker role (403), naming the problem', async () => {
    const board = await createBoard(server.url)
    const errorOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code })
    expect(await errorOf(await api(`/api/boards/${board.id}`))).toEqual({ status: 401, code: 'unauthorized' })
    expect(await errorOf(await api(`/api/boards/${board.id}`, { headers: { authorization: 'Basic abc' } }))).toEqual({ status: 401, code: 'unauthorized' })
    expect(await errorOf(await api(`/api/boards/${board.id}`, { headers: bearer('A'.repeat(22)) }))).toEqual({ status: 403, code: 'forbidden' })
    expect(await errorOf(await api(`/api/boards/${board.id}`, { headers: bearer('<script>') }))).toEqual({ status: 403, code: 'forbidden' })
    // Another board's facilitator key opens nothing here.
    const other = await createBoard(server.url)
    expect(await errorOf(await api(`/api/boards/${board.id}`, { headers: bearer(other.keys.facilitator) }))).toEqual({ status: 403, code: 'forbidden' })
    for (const role of ['participant', 'viewer'] as const) {
      const key = board.keys[role]
      expect(await errorOf(await api(`/api/boards/${board.id}`, json('PATCH', '{"title":"mine"}', key)))).toEqual({ status: 403, code: 'forbidden' })
      expect(await errorOf(await api(`/api/boards/${board.id}`, { method: 'DELETE', headers: bearer(key) }))).toEqual({ status: 403, code: 'forbidden' })
      expect(await errorOf(await api(`/api/boards/${board.id}/keys/viewer`, { method: 'POST', headers: bearer(key) }))).toEqual({ status: 403, code: 'forbidden' })
    }
    const upload = await api(`/api/boards/${board.id}/assets`, { method: 'POST', headers: { 'content-type': 'image/png', ...bearer(board.keys.viewer) }, body: new Uint8Array(PNG) })
    expect(await errorOf(upload)).toEqual({ status: 403, code: 'forbidden' })
    expect((await api(`/api/boards/${board.id}`, { headers: bearer(board.keys.facilitator) })).status).toBe(200)
  })

  it('replaces a link: the old key stops working at once, over HTTP and for connected people', async () => {
    const board = await createBoard(server.url)
    const oldKey = board.keys.participant
    const holder = connectClient(server.wsUrl, board.id, { key: oldKey })
    const viewer = connectClient(server.wsUrl, board.id, { role: 'viewer' })
    await Promise.all([holder.synced, viewer.synced])
    const res = await api(`/api/boards/${board.id}/keys/participant`, { method: 'POST', headers: bearer(board.keys.facilitator) })
    expect(res.status).toBe(200)
    const rotated = (await res.json()) as BoardAccess
    expect(rotated.keys.participant).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(rotated.keys.participant).not.toBe(oldKey)
    expect(rotated.keys.viewer).toBe(board.keys.viewer)
    expect(await holder.closed).toEqual({ code: 4409, reason: 'link-revoked' })
    holder.destroy()
    expect((await api(`/api/boards/${board.id}`, { headers: bearer(oldKey) })).status).toBe(403)
    const again = connectClient(server.wsUrl, board.id, { key: oldKey })
    expect(await again.closed).toEqual({ code: 4403, reason: 'forbidden' })
    again.destroy()
    const fresh = connectClient(server.wsUrl, board.id, { key: rotated.keys.participant! })
    await fresh.synced
    // The other links keep working.
    expect(viewer.provider.wsconnected).toBe(true)
    fresh.destroy()
    viewer.destroy()
    const badRole = await api(`/api/boards/${board.id}/keys/owner`, { method: 'POST', headers: bearer(board.keys.facilitator) })
    expect(badRole.status).toBe(400)
    expect((await badRole.json()).error).toMatchObject({ code: 'invalid-field', field: 'role' })
  })

  it('answers malformed JSON with 400 invalid-json as JSON, not HTML', async () => {
    const res = await api('/api/boards', json('POST', '{"title": "x",'))
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect((await res.json()).error.code).toBe('invalid-json')
    const notObject = await api('/api/boards', json('POST', '[1,2]'))
    expect(notObject.status).toBe(400)
    expect((await notObject.json()).error.code).toBe('invalid-json')
  })

  it('names the invalid field', async () => {
    const cases: [unknown, string][] = [
      [{ language: 'en' }, 'title'],
      [{ title: '   ', language: 'en' }, 'title'],
      [{ title: 'x'.repeat(201), language: 'en' }, 'title'],
      [{ title: 'Board' }, 'language'],
      [{ title: 'Board', language: 'fr' }, 'language'],
      [{ title: 'Board', language: 'en', owner: 'me' }, 'owner'],
    ]
    for (const [body, field] of cases) {
      const res = await api('/api/boards', json('POST', JSON.stringify(body)))
      expect(res.status).toBe(400)
      expect((await res.json()).error).toMatchObject({ code: 'invalid-field', field })
    }
    const board = await createBoard(server.url)
    const rename = await api(`/api/boards/${board.id}`, json('PATCH', JSON.stringify({ title: 42 }), board.keys.facilitator))
    expect(rename.status).toBe(400)
    expect((await rename.json()).error).toMatchObject({ code: 'invalid-field', field: 'title' })
  })

  it('answers 413 for a body that is too large', async () => {
    const res = await api('/api/boards', json('POST', JSON.stringify({ title: 'x'.repeat(100_000), language: 'en' })))
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('payload-too-large')
  })

  it('answers 404 not-found as JSON for unknown or malformed ids and unknown API paths', async () => {
    for (const [method, path] of [
      ['GET', '/api/boards/AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/api/boards/not-an-id'],
      ['PATCH', '/api/boards/AAAAAAAAAAAAAAAAAAAAAA'],
      ['DELETE', '/api/boards/AAAAAAAAAAAAAAAAAAAAAA'],
      ['POST', '/api/boards/AAAAAAAAAAAAAAAAAAAAAA/keys/viewer'],
      ['GET', '/api/assets/AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/api/nothing-here'],
    ]) {
      const key = 'K'.repeat(22)
      const res = await api(path, method === 'PATCH' ? json(method, '{"title":"x"}', key) : { method, headers: bearer(key) })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect((await res.json()).error.code).toBe('not-found')
    }
  })

  it('stores an uploaded image and serves it safely, within type and size limits', async () => {
    const board = await createBoard(server.url)
    const upload = (type: string, body: BodyInit, id = board.id) =>
      api(`/api/boards/${id}/assets`, { method: 'POST', headers: { 'content-type': type, ...bearer(board.keys.participant) }, body })

    const res = await upload('image/png', new Uint8Array(PNG))
    expect(res.status).toBe(201)
    const { src } = (await res.json()) as { src: string }
    expect(src).toMatch(/^\/api\/assets\/[A-Za-z0-9_-]{22}$/)
    const image = await api(src)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(image.headers.get('cache-control')).toContain('immutable')
    expect(image.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG)

    const svg = await upload('image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    const served = await api(((await svg.json()) as { src: string }).src)
    expect(served.headers.get('content-security-policy')).toMatch(/sandbox/)
    expect(served.headers.get('content-security-policy')).toMatch(/default-src 'none'/)

    const html = await upload('text/html', '<script>alert(1)</script>')
    expect(html.status).toBe(415)
    expect((await html.json()).error.code).toBe('unsupported-media-type')
    const tooBig = await upload('image/png', new Uint8Array(MAX_ASSET_BYTES + 1))
    expect(tooBig.status).toBe(413)
    expect((await tooBig.json()).error.code).toBe('payload-too-large')
    const unknownBoard = await upload('image/png', new Uint8Array(PNG), 'AAAAAAAAAAAAAAAAAAAAAA')
    expect(unknownBoard.status).toBe(404)

    // Images go with their board.
    await api(`/api/boards/${board.id}`, { method: 'DELETE', headers: bearer(board.keys.facilitator) })
    expect((await api(src)).status).toBe(404)
  })
})
