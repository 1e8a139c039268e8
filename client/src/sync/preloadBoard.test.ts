import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { isEmptyDocument, PRELOAD_ORIGIN, preloadBoard, shouldPreload } from './preloadBoard'

const BOARD_ID = 'q3Zb1v0mS9uJx2cF4yTt8A'

function boardWithNote(): Y.Doc {
  const doc = new Y.Doc()
  doc.getMap('tl_records').set('shape:a', new Y.Map())
  return doc
}

const octets = (bytes: Uint8Array, init: ResponseInit = {}) =>
  new Response(bytes.slice().buffer, { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, ...init })

describe('shouldPreload', () => {
  it('fetches only into a document that holds nothing, and only online', () => {
    expect(isEmptyDocument(new Y.Doc())).toBe(true)
    expect(shouldPreload(new Y.Doc(), true)).toBe(true)
    expect(shouldPreload(new Y.Doc(), false)).toBe(false)
    expect(isEmptyDocument(boardWithNote())).toBe(false)
    expect(shouldPreload(boardWithNote(), true)).toBe(false)
  })
})

describe('preloadBoard', () => {
  it('asks for the board with the link key and applies it with the preload origin', async () => {
    const server = boardWithNote()
    const requests: { url: string; init?: RequestInit }[] = []
    const doc = new Y.Doc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    const fetchFn = (async (url: string, init?: RequestInit) => {
      requests.push({ url, init })
      return octets(Y.encodeStateAsUpdate(server))
    }) as unknown as typeof fetch
    expect(await preloadBoard(doc, BOARD_ID, 'k'.repeat(22), { fetch: fetchFn })).toBe(true)
    expect(requests).toHaveLength(1)
    expect(requests[0].url).toBe(`/api/boards/${BOARD_ID}/document`)
    expect(requests[0].init?.headers).toMatchObject({ Authorization: `Bearer ${'k'.repeat(22)}` })
    expect(doc.getMap('tl_records').has('shape:a')).toBe(true)
    expect(origins).toEqual([PRELOAD_ORIGIN])
  })

  it('applies nothing and resolves false on an error answer, a page that is not the document, bad bytes, a network failure or a timeout', async () => {
    const answers: (() => Promise<Response>)[] = [
      async () => new Response('{"error":{"code":"storage-unavailable"}}', { status: 503, headers: { 'Content-Type': 'application/json' } }),
      async () => new Response('<html></html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
      async () => octets(new Uint8Array(0)),
      async () => octets(new Uint8Array([200, 1, 2, 3, 4, 5, 6, 7])),
      async () => {
        throw new TypeError('Failed to fetch')
      },
    ]
    for (const answer of answers) {
      const doc = new Y.Doc()
      expect(await preloadBoard(doc, BOARD_ID, 'k'.repeat(22), { fetch: answer as unknown as typeof fetch })).toBe(false)
      expect(doc.getMap('tl_records').size).toBe(0)
    }
    // A server that never answers: given up after the timeout, through the abort signal.
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch
    const started = Date.now()
    expect(await preloadBoard(new Y.Doc(), BOARD_ID, 'k'.repeat(22), { fetch: hanging, timeoutMs: 50 })).toBe(false)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
