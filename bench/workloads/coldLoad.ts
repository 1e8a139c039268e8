/**
 * Workload 3 "cold load": one client writes a board of K notes, everyone
 * leaves, and (on ours) the room unloads after ROOM_IDLE_MS so the next load
 * comes from disk. Then a fresh stock client is timed from connect to ws open
 * and to `synced`, several times; bytes received are counted.
 * The stock reference server without persistence never unloads a document, so
 * its "cold" load is served from memory: it is the floor for the protocol, not
 * a like-for-like disk load.
 */
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { getRecordsMap, putRecord } from '../../shared/documentLayout'
import { noteRecord, shapeId, randomText } from '../lib/note'
import { nowMs, summarizeSamples, type Summary } from '../lib/hist'
import { createBoard, healthz, sleep, startServer, waitRoomsUnloaded, type ServerKind, type StartOptions } from '../lib/servers'
import type { Deadline } from '../lib/deadline'
import { browserTimeToInteractive } from '../lib/browserLoad'

export interface ColdConfig {
  sizes: number[]
  reps: number
  notesPerTransaction: number
  server: StartOptions
}

export interface ColdRow {
  server: ServerKind
  notes: number
  docBytes: number
  writeMs: number
  reps: number
  fromDisk: boolean | 'unknown'
  unloadWaitMs: (number | null)[]
  openMs: Summary
  syncedMs: Summary
  /** Connect until the document frame (sync step 2) arrives: the server's part plus transfer. */
  docFrameMs: Summary
  /** Document frame arrival until `synced`: the stock client decoding and applying it. */
  clientApplyMs: Summary
  bytesReceived: number | null
  recordsSeen: number | null
  /** Ours only: Chromium, page open to the editor holding every note and painted (ms since navigation start). */
  browserInteractiveMs?: Summary
  /** Median bytes a first visit received over HTTP until interactive (app, fonts, translations; compressed as sent). */
  browserHttpBytes?: number
  /** Websocket payload bytes that first visit received until interactive (p50). */
  browserWsBytes?: number
  browserSkipped?: string
  error?: string
}

interface Conn {
  doc: Y.Doc
  provider: WebsocketProvider
  bytes: { n: number }
  /** When the first sync frame larger than 1 KiB (the document: sync step 2) arrived, before it is applied. */
  docFrameAt: number | null
}

function open(serverUrl: string, room: string): Conn {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  const conn: Conn = { doc, provider, bytes: { n: 0 }, docFrameAt: null }
  const handlers = provider.messageHandlers
  for (let t = 0; t < handlers.length; t++) {
    const orig = handlers[t]
    if (!orig) continue
    handlers[t] = (enc, dec, prov, emit, type) => {
      conn.bytes.n += dec.arr.byteLength
      if (type === 0 && conn.docFrameAt === null && dec.arr.byteLength > 1024) conn.docFrameAt = nowMs()
      orig(enc, dec, prov, emit, type)
    }
  }
  return conn
}

function close(c: Conn): void {
  c.provider.destroy()
  c.doc.destroy()
}

function waitSynced(c: Conn, timeoutMs: number, t0 = nowMs()): Promise<{ openMs: number | null; syncedMs: number | null }> {
  let openMs: number | null = null
  return new Promise((resolve) => {
    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected' && openMs === null) openMs = nowMs() - t0
    }
    const onSync = (s: boolean) => s && done(nowMs() - t0)
    const timer = setTimeout(() => done(null), timeoutMs)
    function done(syncedMs: number | null) {
      clearTimeout(timer)
      c.provider.off('status', onStatus)
      c.provider.off('sync', onSync)
      resolve({ openMs, syncedMs })
    }
    c.provider.on('status', onStatus)
    c.provider.on('sync', onSync)
  })
}

function countNotes(doc: Y.Doc): number {
  let n = 0
  for (const rec of getRecordsMap(doc).values()) if (rec instanceof Y.Map && rec.get('type') === 'note') n++
  return n
}

export async function runColdLoad(kind: ServerKind, cfg: ColdConfig, deadline: Deadline): Promise<ColdRow[]> {
  const server = await startServer(kind, cfg.server)
  const rows: ColdRow[] = []
  try {
    for (const size of cfg.sizes) {
      if (deadline.remainingMs() < 20_000) break
      const row: ColdRow = {
        server: kind,
        notes: size,
        docBytes: 0,
        writeMs: 0,
        reps: 0,
        fromDisk: kind === 'reference' ? false : 'unknown',
        unloadWaitMs: [],
        openMs: summarizeSamples([]),
        syncedMs: summarizeSamples([]),
        docFrameMs: summarizeSamples([]),
        clientApplyMs: summarizeSamples([]),
        bytesReceived: null,
        recordsSeen: null,
      }
      rows.push(row)
      try {
        const board = await createBoard(server, `bench cold ${size}`)
        const writer = open(server.wsUrl, board)
        if ((await waitSynced(writer, 30_000)).syncedMs === null) throw new Error('writer did not sync')
        const t0 = nowMs()
        const records = getRecordsMap(writer.doc)
        for (let i = 0; i < size; i += cfg.notesPerTransaction) {
          writer.doc.transact(() => {
            for (let k = i; k < Math.min(size, i + cfg.notesPerTransaction); k++) {
              putRecord(records, noteRecord(shapeId(), (k % 100) * 220, Math.floor(k / 100) * 220, {}, randomText(8)))
            }
          })
          // let the socket flush between batches, as a person adding notes would
          if ((i / cfg.notesPerTransaction) % 10 === 9) await sleep(5)
        }
        row.docBytes = Y.encodeStateAsUpdate(writer.doc).byteLength
        // wait until the server holds every note: a checker client must see them all
        let seen = 0
        for (let attempt = 0; attempt < 30 && seen < size; attempt++) {
          await sleep(attempt === 0 ? 200 : 1000)
          const checker = open(server.wsUrl, board)
          const r = await waitSynced(checker, 30_000)
          seen = r.syncedMs === null ? 0 : countNotes(checker.doc)
          close(checker)
        }
        row.writeMs = Math.round(nowMs() - t0)
        close(writer)
        if (seen < size) throw new Error(`server holds only ${seen}/${size} notes after writing`)
        const opens: number[] = []
        const synceds: number[] = []
        const docFrames: number[] = []
        const applies: number[] = []
        for (let rep = 0; rep < cfg.reps; rep++) {
          if (deadline.remainingMs() < 10_000) break
          if (kind === 'ours') {
            const waited = await waitRoomsUnloaded(server, (cfg.server.roomIdleMs ?? 0) + 15_000)
            row.unloadWaitMs.push(waited)
            if (waited === null) row.fromDisk = false
            else if (row.fromDisk === 'unknown') row.fromDisk = true
          } else {
            await sleep(300)
          }
          const t0 = nowMs()
          const c = open(server.wsUrl, board)
          const r = await waitSynced(c, 30_000, t0)
          if (r.openMs !== null) opens.push(r.openMs)
          if (r.syncedMs !== null) synceds.push(r.syncedMs)
          if (r.syncedMs !== null && c.docFrameAt !== null) {
            docFrames.push(c.docFrameAt - t0)
            applies.push(t0 + r.syncedMs - c.docFrameAt)
          }
          row.bytesReceived = c.bytes.n
          row.recordsSeen = countNotes(c.doc)
          close(c)
          row.reps++
        }
        row.openMs = summarizeSamples(opens)
        row.syncedMs = summarizeSamples(synceds)
        row.docFrameMs = summarizeSamples(docFrames)
        row.clientApplyMs = summarizeSamples(applies)
        if (kind === 'ours' && deadline.remainingMs() > 60_000) {
          const browserLoad = await browserTimeToInteractive(server.baseUrl, board, size, Math.min(3, cfg.reps))
          row.browserInteractiveMs = summarizeSamples(browserLoad.samples)
          if (browserLoad.httpBytes.length) row.browserHttpBytes = summarizeSamples(browserLoad.httpBytes).p50 ?? undefined
          if (browserLoad.wsBytes.length) row.browserWsBytes = summarizeSamples(browserLoad.wsBytes).p50 ?? undefined
          if (browserLoad.skipped) row.browserSkipped = browserLoad.skipped
        }
      } catch (e) {
        row.error = String((e as Error).message ?? e)
      }
    }
  } finally {
    await healthz(server)
    await server.stop()
  }
  return rows
}
