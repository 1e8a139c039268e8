import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import express from 'express'
import zlib from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { clientRoutes } from './clientRoutes'

/** The response as sent (fetch would undo the compression), for one Accept-Encoding. */
function getRaw(url: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

const BUILT_CLIENT = path.resolve(import.meta.dirname, '../../../dist/client')

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

  it('sends the brotli or gzip copy of a build file to a browser that accepts it, the file itself to one that does not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-'))
    fs.mkdirSync(path.join(dir, 'assets'))
    const source = Buffer.from('export const words = ' + JSON.stringify(Array.from({ length: 500 }, (_, i) => `word${i % 37}`)))
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), source)
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js.br'), zlib.brotliCompressSync(source))
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js.gz'), zlib.gzipSync(source))
    const url = `${await serve(dir)}/assets/app-abc123.js`

    const br = await getRaw(url, 'gzip, deflate, br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toMatch(/^(text|application)\/javascript/)
    expect(br.headers['cache-control']).toContain('immutable')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(zlib.brotliDecompressSync(br.body).equals(source)).toBe(true)

    const gz = await getRaw(url, 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(zlib.gunzipSync(gz.body).equals(source)).toBe(true)

    const plain = await getRaw(url)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.equals(source)).toBe(true)
  })

  it('the build writes compressed copies of the board bundle, and they are what a browser receives', async () => {
    // npm test builds the client before running the tests; this checks that build.
    const assets = fs.readdirSync(path.join(BUILT_CLIENT, 'assets'))
    const bundle = assets.find((name) => /^BoardPage-.*\.js$/.test(name))
    expect(bundle, 'dist/client has the board bundle').toBeDefined()
    const source = fs.readFileSync(path.join(BUILT_CLIENT, 'assets', bundle!))
    const url = `${await serve(BUILT_CLIENT)}/assets/${bundle}`
    const res = await getRaw(url, 'gzip, deflate, br')
    expect(res.headers['content-encoding']).toBe('br')
    expect(zlib.brotliDecompressSync(res.body).equals(source)).toBe(true)
    // A third of the bytes or less: what a participant on a slow line waits for.
    expect(res.body.length).toBeLessThan(source.length / 3)
    expect(assets).toContain(`${bundle}.gz`)
  })
})

