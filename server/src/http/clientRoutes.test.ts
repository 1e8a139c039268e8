import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { clientRoutes } from './clientRoutes'

const servers: { close(): void }[] = []
async function serve(clientDir: string): Promise<string> {
  const app = express().use(clientRoutes(clientDir))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

describe('web client routes', () => {
  it('serves index.html for the home page and every board page, and build files as they are', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-'))
    fs.mkdirSync(path.join(dir, 'assets'))
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><body>board app</body></html>')
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)')
    const url = await serve(dir)
    for (const page of ['/', '/b/AAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await fetch(url + page)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('board app')
      expect(res.headers.get('cache-control')).toBe('no-cache')
    }
    const script = await fetch(`${url}/assets/app-abc123.js`)
    expect(await script.text()).toBe('console.log(1)')
    expect(script.headers.get('cache-control')).toContain('immutable')
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404)
  })

  it('tells the operator to build the client when it is missing', async () => {
    const url = await serve(path.join(os.tmpdir(), 'definitely-not-built'))
    const res = await fetch(url + '/')
    expect(res.status).toBe(503)
    expect(await res.text()).toMatch(/npm run build/)
  })
})
