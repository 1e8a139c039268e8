/**
 * Facilitator story through the HTTP API: create, list, rename and delete
 * boards; upload images; and get clear JSON errors for bad requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardMeta } from '../../shared/api'
import { connectClient, createBoard, startServer, type TestServer } from '../test-utils/startServer'

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
const MAX_ASSET_BYTES = 4096

describe('HTTP API', () => {
  let server: TestServer
  const api = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init)
  const json = (method: string, body: string) => ({ method, headers: { 'content-type': 'application/json' }, body })

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
    })
  })

  it('creates, lists (newest change first), reads, renames and deletes a board', async () => {
    const res = await api('/api/boards', json('POST', JSON.stringify({ title: '  Retro  ', language: 'nl' })))
    expect(res.status).toBe(201)
    const first = (await res.json()) as BoardMeta
    expect(first).toMatchObject({ title: 'Retro', language: 'nl' })
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const second = await createBoard(server.url, 'Second')

    await new Promise((resolve) => setTimeout(resolve, 5))
    const renamed = await api(`/api/boards/${first.id}`, json('PATCH', JSON.stringify({ title: 'Retrospective' })))
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({ id: first.id, title: 'Retrospective' })

    const list = (await (await api('/api/boards')).json()) as BoardMeta[]
    const ids = list.map((board) => board.id)
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id))
    expect(await (await api(`/api/boards/${first.id}`)).json()).toMatchObject({ title: 'Retrospective', language: 'nl' })

    const client = connectClient(server.wsUrl, first.id)
    await client.synced
    expect((await api(`/api/boards/${first.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await client.closed).toEqual({ code: 4410, reason: 'board-deleted' })
    client.destroy()
    expect((await api(`/api/boards/${first.id}`)).status).toBe(404)
    const reconnect = connectClient(server.wsUrl, first.id)
    expect(await reconnect.closed).toEqual({ code: 4404, reason: 'unknown-board' })
    reconnect.destroy()
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
    const rename = await api(`/api/boards/${board.id}`, json('PATCH', JSON.stringify({ title: 42 })))
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
      ['GET', '/api/assets/AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/api/nothing-here'],
    ]) {
      const res = await api(path, method === 'PATCH' ? json(method, '{"title":"x"}') : { method })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect((await res.json()).error.code).toBe('not-found')
    }
  })

  it('stores an uploaded image and serves it safely, within type and size limits', async () => {
    const board = await createBoard(server.url)
    const upload = (type: string, body: BodyInit, id = board.id) =>
      api(`/api/boards/${id}/assets`, { method: 'POST', headers: { 'content-type': type }, body })

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
    await api(`/api/boards/${board.id}`, { method: 'DELETE' })
    expect((await api(src)).status).toBe(404)
  })
})
