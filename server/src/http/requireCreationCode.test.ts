/**
 * The app on a real port with a clock the test moves: an address that tried
 * too many wrong organiser codes may try again once the window is over,
 * without anyone waiting a quarter of an hour.
 */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BOARD_CREATION_CODE_HEADER } from '../../../shared/api'
import { createBoardAccess } from '../access/boardAccess'
import { FAILURE_LIMIT, FAILURE_WINDOW_MS } from '../access/creationCode'
import { loadConfig } from '../config'
import { createLogger } from '../log'
import { openSqliteStorage } from '../storage/SqliteStorage'
import type { Storage } from '../storage/Storage'
import { createApp } from './createApp'

const CODE = 'Cochabamba-Gent-2026'
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** An app with the organiser code, real storage, a movable clock and the log lines it wrote. */
async function appWithCode(): Promise<{ url: string; advance(ms: number): void; logged: string[] }> {
  const config = loadConfig({ BOARD_CREATION_CODE: CODE })
  if (!config.ok) throw new Error(config.error)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creation-code-'))
  const storage: Storage = openSqliteStorage(dir, { synchronous: 'NORMAL' })
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => storage.close())
  let time = Date.UTC(2026, 5, 8, 9, 0)
  const logged: string[] = []
  const app = createApp({
    config: config.value,
    storage,
    access: createBoardAccess(storage),
    rooms: { stats: () => ({ rooms: 0, connections: 0 }), closeBoard: () => {}, revokeKey: () => {}, readBoard: async () => undefined, changeBoard: async () => false, loadedDocuments: () => [], derivedFullState: async () => ({ kind: 'unknown' as const }) },
    log: createLogger('warn', (line) => logged.push(line)),
    clientDir: '/nonexistent',
    now: () => time,
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, advance: (ms) => (time += ms), logged }
}

/** POST /api/boards as someone at `address` behind the local reverse proxy. */
async function create(url: string, address: string, code: string): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const res = await fetch(`${url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, [BOARD_CREATION_CODE_HEADER]: code },
    body: JSON.stringify({ title: 'Taller', language: 'es' }),
  })
  const body = (await res.json()) as { error?: { code: string } }
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') }
}

describe('wrong organiser codes over time', () => {
  it('refuses an address until the window from its first wrong code is over, then lets it try again', async () => {
    const { url, advance, logged } = await appWithCode()
    const guesser = '198.51.100.23'
    expect(await create(url, guesser, 'first-guess')).toMatchObject({ status: 403, code: 'creation-code-wrong' })
    advance(5 * 60_000)
    for (let i = 2; i <= FAILURE_LIMIT; i++) expect((await create(url, guesser, `guess-${i}-xxxx`)).status).toBe(403)
    expect(await create(url, guesser, CODE)).toEqual({ status: 429, code: 'too-many-attempts', retryAfter: String((FAILURE_WINDOW_MS - 5 * 60_000) / 1000) })
    expect(logged.filter((line) => line.includes('too many wrong organiser codes'))).toHaveLength(1)

    // Someone else meanwhile: unaffected.
    expect((await create(url, '203.0.113.7', CODE)).status).toBe(201)

    advance(FAILURE_WINDOW_MS - 5 * 60_000 - 1000)
    expect(await create(url, guesser, CODE)).toMatchObject({ status: 429, retryAfter: '1' })
    advance(1000)
    expect((await create(url, guesser, CODE)).status).toBe(201)
    // A fresh window: wrong codes are counted from one again.
    expect(await create(url, guesser, 'new-guess-xx')).toMatchObject({ status: 403, code: 'creation-code-wrong' })
    expect(logged.join('')).not.toContain(CODE)
  })
})
