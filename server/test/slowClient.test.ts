/**
 * Operator story: one participant on a bad connection (or a stuck tab) does
 * not make the server buffer without bound; they are closed with too-slow and
 * everyone else keeps working.
 */
import fs from 'node:fs'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { getRecordsMap } from '../../shared/documentLayout'
import { Close } from '../../shared/protocol'
import { connectClient, createBoard, health, startServer, syncUrl, waitFor, type TestClient, type TestServer } from '../test-utils/startServer'
import { addNote } from '../test-utils/records'
import * as Y from 'yjs'

const MiB = 1024 * 1024

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error('no VmRSS')
  return Number(match[1]) * 1024
}

describe('a client that stops reading', () => {
  let server: TestServer
  let writer: TestClient
  let reader: TestClient

  beforeAll(async () => {
    server = await startServer({ env: { MAX_BUFFERED_BYTES: String(2 * MiB), COMPACT_AFTER_UPDATES: '20' } })
  })
  afterAll(async () => {
    writer?.destroy()
    reader?.destroy()
    await server?.stop()
  })

  it('is closed with too-slow while the room is busy, and server memory stays bounded', async () => {
    const { id } = await createBoard(server.url)
    writer = connectClient(server.wsUrl, id)
    reader = connectClient(server.wsUrl, id)
    await Promise.all([writer.synced, reader.synced])

    const stuck = new WebSocket(syncUrl(server.wsUrl, id))
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      stuck.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    await new Promise((resolve) => stuck.once('open', resolve))
    // Stop reading from the TCP socket: the kernel buffers fill, then the server's.
    const tcp = (stuck as unknown as { _socket: Socket })._socket
    tcp.pause()
    await waitFor(async () => (await health(server.url)).connections === 3, 'three connections')

    const rssBefore = rssBytes(server.proc.pid!)
    // Overwriting one field keeps the document small while the traffic is large.
    const notes = getRecordsMap(writer.doc)
    // A large value in the note's meta (any JSON is valid there): the document stays small, the traffic is large.
    const meta = () => notes.get('shape:busy')?.get('meta') as Y.Map<unknown> | undefined
    const textOf = (doc: Y.Doc) => (getRecordsMap(doc).get('shape:busy')?.get('meta') as Y.Map<unknown> | undefined)?.get('payload')
    addNote(writer.doc, 'shape:busy', 'start')
    // Within the largest record a board takes (MAX_RECORD_JSON_CHARS, 256 KiB as JSON).
    const chunk = 'x'.repeat(200 * 1024)
    let sent = 0
    const connected = async () => (await health(server.url)).connections === 3
    // Paced on the honest reader, so the server is never far behind the writer.
    for (let i = 0; i < 400 && (await connected()); i++) {
      const value = `${i}:${chunk}`
      meta()!.set('payload', value)
      sent += chunk.length
      await waitFor(() => textOf(reader.doc) === value, 'reader to keep up')
    }
    expect(await connected()).toBe(false)
    const growth = rssBytes(server.proc.pid!) - rssBefore

    // Once it reads again, the stuck client learns why it was dropped.
    tcp.resume()
    expect(await closed).toEqual({ code: Close.tooSlow.code, reason: Close.tooSlow.reason })
    // Without the bound all 100 MiB would queue for the stuck client.
    expect(growth).toBeLessThan(96 * MiB)
    console.info(`stuck client dropped after ${(sent / MiB).toFixed(0)} MiB sent; server RSS grew ${(growth / MiB).toFixed(0)} MiB`)
  })
})
