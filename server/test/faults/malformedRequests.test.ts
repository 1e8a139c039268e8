/**
 * Fault: a malformed websocket upgrade request, before any frame is sent: a
 * request target that is not a valid URL (`//[`, `http://[`), a bad port,
 * percent garbage, absurd lengths, missing or wrong websocket headers.
 *
 * What a user would notice if it went wrong: one stray request (a scanner, a
 * broken proxy, a typo in a monitoring check) kills the server process and
 * freezes every workshop on it; or an operator sees "internal" 500s and
 * error logs for what is only a bad link.
 */
import net from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { connectClient, createBoard, health, waitFor, type TestClient } from '../../test-utils/startServer'
import { getRecordsMap, putRecord } from '../../../shared/documentLayout'
import { noteRecord } from './helpers/boardState'
import { startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'

const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='

/** Sends one raw HTTP request over TCP and resolves with the status line (or how the socket ended). */
function rawRequest(port: number, target: string, headers: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`))
    let answered = false
    const done = (what: string) => {
      if (answered) return
      answered = true
      socket.destroy()
      resolve(what)
    }
    socket.on('data', (chunk: Buffer) => done(chunk.toString().split('\r\n')[0]))
    socket.on('close', () => done('closed without an answer'))
    socket.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code}`))
    setTimeout(() => done('no answer within 2 s'), 2000).unref()
  })
}

const UPGRADE = ['Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13']

const TARGETS = ['//[', '//[::1', 'http://[/sync/x', '//a:b@', '//:99999/sync/x', '//%/sync', '/sync/%ZZ', `/sync/${'A'.repeat(8000)}`, '/sync/?protocol=%FF%FE', '/sync//..//..', '*']

describe('malformed websocket upgrade requests', () => {
  let server: FixedPortServer
  let ana: TestClient
  let bram: TestClient

  beforeAll(async () => {
    server = await startFixedPortServer()
    const board = await createBoard(server.url, 'Upgrade fuzz')
    ana = connectClient(server.wsUrl, board.id)
    bram = connectClient(server.wsUrl, board.id)
    await Promise.all([ana.synced, bram.synced])
  })
  // One crash must not hide the verdict on the next request: bring the server back (same port, same data).
  beforeEach(async () => {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) server = await server.restart()
  })
  afterAll(async () => {
    ana?.destroy()
    bram?.destroy()
    await server?.kill9()
  })

  for (const target of TARGETS) {
    it(`survives an upgrade request for ${JSON.stringify(target.length > 40 ? `${target.slice(0, 40)}...` : target)}`, async () => {
      const answer = await rawRequest(server.port, target, UPGRADE)
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(server.proc.exitCode, `server exited after "${target}" (answer: ${answer})\n${server.stderr().slice(-1500)}`).toBeNull()
      expect(server.proc.signalCode).toBeNull()
      expect((await health(server.url)).ok).toBe(true)
    })
  }

  it('survives upgrade requests with missing or wrong websocket headers', async () => {
    const variants = [[], UPGRADE.slice(0, 2), [...UPGRADE.slice(0, 3), 'Sec-WebSocket-Version: 99'], [...UPGRADE.slice(0, 2), 'Sec-WebSocket-Key: short', 'Sec-WebSocket-Version: 13']]
    for (const headers of variants) await rawRequest(server.port, '/sync/AAAAAAAAAAAAAAAAAAAAAA', headers)
    expect(server.proc.exitCode).toBeNull()
    expect((await health(server.url)).ok).toBe(true)
  })

  it('answers a path with broken percent-encoding like any other bad link, not with a 500 "internal" bug', async () => {
    // docs/api.md: a malformed board id is answered like an unknown one (404); /b/<anything> gets the client shell.
    for (const path of ['/api/boards/%ZZ', '/api/boards/%E0%A4%A', '/api/boards/%ZZ/assets']) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.status, `GET ${path}`).toBe(404)
    }
    const shell = (await fetch(`${server.url}/b/AAAAAAAAAAAAAAAAAAAAAA`)).status
    expect((await fetch(`${server.url}/b/%ZZ`)).status, 'GET /b/%ZZ, like any /b/ link').toBe(shell)
  })

  it('still relays edits between honest people afterwards', async () => {
    await waitFor(() => ana.provider.synced && bram.provider.synced, 'honest people connected')
    putRecord(getRecordsMap(ana.doc), noteRecord('shape:after', 1, 2, 'still here'))
    await waitFor(() => getRecordsMap(bram.doc).has('shape:after'), 'Bram to see the edit')
  })
})
