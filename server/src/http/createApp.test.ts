import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config'
import { createBoardAccess } from '../access/boardAccess'
import { createLogger } from '../log'
import { StorageUnavailableError, type Storage } from '../storage/Storage'
import { createApp } from './createApp'

const servers: { close(): void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

/** An app whose storage fails the way `failure` says, with the log lines it wrote. */
async function appWithFailingStorage(failure: () => never): Promise<{ url: string; logged: string[] }> {
  const config = loadConfig({})
  if (!config.ok) throw new Error(config.error)
  const logged: string[] = []
  const storage = { getBoardKeys: async () => failure(), getBoard: async () => undefined } as unknown as Storage
  const app = createApp({
    config: config.value,
    storage,
    access: createBoardAccess(storage),
    rooms: { stats: () => ({ rooms: 0, connections: 0 }), closeBoard: () => {}, revokeKey: () => {}, readBoard: async () => undefined, changeBoard: async () => false, loadedDocuments: () => [], derivedFullState: async () => ({ kind: 'unknown' as const }) },
    log: createLogger('error', (line) => logged.push(line)),
    clientDir: '/nonexistent',
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  servers.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logged }
}

describe('unexpected failures', () => {
  it('answer 500 internal as JSON, are logged, and the server keeps serving', async () => {
    const { url, logged } = await appWithFailingStorage(() => {
      throw new TypeError('a bug')
    })
    const res = await fetch(`${url}/api/boards/${'b'.repeat(22)}`, { headers: { authorization: `Bearer ${'k'.repeat(22)}` } })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } })
    expect(logged.join('')).toContain('a bug')
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
  })

  it('answer 503 storage-unavailable when the database refuses', async () => {
    const { url } = await appWithFailingStorage(() => {
      throw new StorageUnavailableError('read board keys failed: SQLITE_FULL')
    })
    const res = await fetch(`${url}/api/boards/${'b'.repeat(22)}`, { headers: { authorization: `Bearer ${'k'.repeat(22)}` } })
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('storage-unavailable')
  })
})
