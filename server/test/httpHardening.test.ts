/**
 * Attack report #12, finding 9: every response carries the security headers
 * (a real Content-Security-Policy header, framing only by our own pages,
 * nosniff, no referrer, an opener policy), and board titles refuse control
 * characters and direction overrides, at creation and rename.
 * Raw HTTP against a real server process; the static build files through the
 * same app in this process (so the test does not need `npm run build`).
 */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError } from '../../shared/api'
import { createBoardAccess } from '../src/access/boardAccess'
import { loadConfig } from '../src/config'
import { createApp } from '../src/http/createApp'
import { silentLogger } from '../src/log'
import type { Storage } from '../src/storage/Storage'
import { bearer, createBoard, startServer, type CreatedBoard, type TestServer } from '../test-utils/startServer'

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

/** What every response must say, whatever it is. */
function expectHardened(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(csp, what).toContain("frame-ancestors 'self'")
  expect(res.headers.get('x-frame-options'), what).toBe('SAMEORIGIN')
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff')
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer')
  expect(res.headers.get('cross-origin-opener-policy'), what).toBe('same-origin')
}

/** The page policy: only our own origin (websockets to ourselves included), no third-party host. */
function expectPagePolicy(res: Response, host: string) {
  const csp = res.headers.get('content-security-policy') ?? ''
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))
  expect(directives['default-src']).toEqual(["'self'"])
  expect(directives['script-src']).toEqual(["'self'"])
  expect(directives['connect-src']).toEqual(["'self'", `ws://${host}`, `wss://${host}`, 'data:', 'blob:'])
  expect(directives['object-src']).toEqual(["'none'"])
  expect(directives['frame-ancestors']).toEqual(["'self'"])
  // No host of anyone else anywhere in it.
  expect(csp.match(/https?:\/\/\S+/g)).toBeNull()
}

describe('security headers', () => {
  let server: TestServer
  let board: CreatedBoard
  let host: string
  beforeAll(async () => {
    server = await startServer()
    host = new URL(server.url).host
    board = await createBoard(server.url)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('are on the home page and on a board page, with the page policy as a header', async () => {
    for (const pagePath of ['/', `/b/${board.id}`]) {
      const res = await fetch(`${server.url}${pagePath}`)
      expectHardened(res, pagePath)
      expectPagePolicy(res, host)
    }
  })

  it('are on API answers, errors included, and on the health check', async () => {
    const answers = [
      await fetch(`${server.url}/api/config`),
      await fetch(`${server.url}/api/boards/${board.id}`, { headers: bearer(board.keys.participant) }),
      await fetch(`${server.url}/api/boards/${board.id}`),
      await fetch(`${server.url}/api/nothing-here`),
      await fetch(`${server.url}/healthz`),
    ]
    for (const res of answers) expectHardened(res, res.url)
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 404, 200])
  })

  it('are on an image, which keeps its own sandboxing policy', async () => {
    const uploaded = await fetch(`${server.url}/api/boards/${board.id}/assets`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...bearer(board.keys.participant) },
      body: PNG,
    })
    const { src } = (await uploaded.json()) as { src: string }
    const res = await fetch(`${server.url}${src}`)
    expectHardened(res, src)
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; .*sandbox/)
  })

  it('send no HSTS over a server without an https PUBLIC_URL', async () => {
    expect((await fetch(`${server.url}/`)).headers.get('strict-transport-security')).toBeNull()
  })
})

describe('security headers on build files, and configured', () => {
  const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-'))
  fs.mkdirSync(path.join(clientDir, 'assets'))
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>x</title>')
  fs.writeFileSync(path.join(clientDir, 'assets', 'index-abc123.js'), 'console.log(1)')
  fs.writeFileSync(path.join(clientDir, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  const servers: { close(): void }[] = []
  afterAll(() => {
    for (const s of servers) s.close()
  })

  async function app(env: Record<string, string>) {
    const config = loadConfig(env)
    if (!config.ok) throw new Error(config.error)
    const storage = {} as Storage
    const listening = createApp({
      config: config.value,
      storage,
      access: createBoardAccess(storage),
      rooms: { stats: () => ({ rooms: 0, connections: 0 }), closeBoard: () => {}, revokeKey: () => {}, readBoard: async () => undefined, changeBoard: async () => false, loadedDocuments: () => [], derivedFullState: async () => ({ kind: 'unknown' as const }) },
      log: silentLogger,
      clientDir,
    }).listen(0, '127.0.0.1')
    await new Promise((resolve) => listening.once('listening', resolve))
    servers.push(listening)
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`
  }

  it('covers the hashed scripts and the service worker', async () => {
    const url = await app({})
    for (const file of ['/assets/index-abc123.js', '/sw.js']) {
      const res = await fetch(`${url}${file}`)
      expect(res.status, file).toBe(200)
      expectHardened(res, file)
    }
  })

  it('lets the hosts named in FRAME_ANCESTORS frame the app, and sends HSTS when PUBLIC_URL is https', async () => {
    const url = await app({ FRAME_ANCESTORS: "'self' https://intranet.gemeente.example", PUBLIC_URL: 'https://board.gemeente.example' })
    const res = await fetch(`${url}/`)
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://intranet.gemeente.example")
    // X-Frame-Options cannot name another origin: only the CSP speaks (browsers that know CSP ignore it anyway).
    expect(res.headers.get('x-frame-options')).toBeNull()
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' ws://board.gemeente.example wss://board.gemeente.example")
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000')
  })

  it("FRAME_ANCESTORS='none' forbids every frame", async () => {
    const url = await app({ FRAME_ANCESTORS: "'none'" })
    const res = await fetch(`${url}/`)
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('board titles', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server?.stop()
  })

  const createWith = async (title: string) => {
    const res = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title, language: 'en' }) })
    return { status: res.status, body: (await res.json()) as ApiError }
  }

  it.each([
    ['a right-to-left override', 'Minutes \u202Efdp.exe'],
    ['a bell', 'Ding\u0007'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a zero-width space', 'Budget\u200B2026'],
  ])('refuses %s at creation and at rename with 400 invalid-field naming the title', async (_what, title) => {
    expect(await createWith(title)).toEqual({
      status: 400,
      body: { error: { code: 'invalid-field', field: 'title', message: expect.stringMatching(/control characters/) } },
    })
    const board = await createBoard(server.url, 'Plain title')
    const res = await fetch(`${server.url}/api/boards/${board.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(board.keys.facilitator) },
      body: JSON.stringify({ title }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as ApiError).error).toMatchObject({ code: 'invalid-field', field: 'title' })
    const stored = await fetch(`${server.url}/api/boards/${board.id}`, { headers: bearer(board.keys.facilitator) })
    expect(((await stored.json()) as { board: { title: string } }).board.title).toBe('Plain title')
  })

  it('still accepts titles in any script, with emoji', async () => {
    expect((await createWith('Diálogo 👩‍👩‍👧 العربية')).status).toBe(201)
  })
})
