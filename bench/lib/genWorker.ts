/**
 * One load-generator worker thread: hosts many STOCK y-websocket
 * WebsocketProvider clients (each with its own Y.Doc and Awareness) and
 * measures what they receive. Controlled by the main thread over a tiny RPC
 * (see generator.ts). All timestamps are CLOCK_MONOTONIC milliseconds
 * (process.hrtime), which every thread and process on the host shares, so a
 * sender in one worker and a receiver in another compare directly.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { getRecordsMap, putRecord, type PlainRecord } from '../../shared/documentLayout'
import { newHist, record, nowMs, type Hist } from './hist'
import { noteRecord, shapeId } from './note'
import { UNREAD_SENDER } from './sendKeys'

process.setMaxListeners(0) // every provider adds an 'exit' listener

export interface ClientSpec {
  key: string
  serverUrl: string
  room: string
  active: boolean
  /**
   * false: once synced, this client counts the frames and bytes it receives but
   * does not apply them (a stock provider whose incoming handlers only count).
   * The server does the same work for it; the generator saves the ~25 µs per
   * frame a full client costs, which on two cores is what saturates first.
   * Its own cursor moves and edits are sent as usual. Default true.
   */
  reads?: boolean
}

export interface Activity {
  cursorHz: number
  editEveryMs: number
  /** Probability an edit creates a new note instead of moving one of the sender's notes. */
  createFraction: number
}

interface Client {
  spec: ClientSpec
  doc: Y.Doc
  provider: WebsocketProvider
  records: Y.Map<Y.Map<unknown>>
  started: boolean
  timers: NodeJS.Timeout[]
  notes: PlainRecord[]
  awSeq: number
  edSeq: number
  lastSeen: Map<number, number>
  stopping: boolean
  synced: boolean
}

interface Stats {
  awLat: Hist
  edLat: Hist
  awRecv: number
  edRecv: number
  awFrames: number
  frames: number
  bytes: number
  drops: number
  closeCodes: Record<string, number>
}

function newStats(): Stats {
  return {
    awLat: newHist(),
    edLat: newHist(),
    awRecv: 0,
    edRecv: 0,
    awFrames: 0,
    frames: 0,
    bytes: 0,
    drops: 0,
    closeCodes: {},
  }
}

const clients: Client[] = []
let stats = newStats()
let totalDrops = 0
let windowStart = Infinity
let windowEnd = Infinity
let counting = false
/** Local (this thread's) times the window opened and closed: byte and frame rates use them. */
let countedFrom = 0
let countedTo = 0
/** Send timestamps per room, counted against the window at collect time (the window message may arrive late). */
const sendLog = { aw: new Map<string, number[]>(), ed: new Map<string, number[]>() }
function logSend(kind: 'aw' | 'ed', c: Client, ts: number): void {
  const key = c.spec.reads === false ? c.spec.room + UNREAD_SENDER : c.spec.room
  let list = sendLog[kind].get(key)
  if (!list) sendLog[kind].set(key, (list = []))
  list.push(ts)
}
function countSends(kind: 'aw' | 'ed'): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [room, list] of sendLog[kind]) {
    let n = 0
    for (const ts of list) if (ts >= windowStart && ts <= windowEnd) n++
    if (n) out[room] = n
  }
  return out
}
let activity: Activity = { cursorHz: 20, editEveryMs: 2000, createFraction: 0.25 }
const eld = monitorEventLoopDelay({ resolution: 10 })
eld.enable()

const inWindow = (ts: unknown): ts is number => typeof ts === 'number' && ts >= windowStart && ts <= windowEnd

function makeClient(spec: ClientSpec): Client {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(spec.serverUrl, spec.room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  const c: Client = {
    spec,
    doc,
    provider,
    records: getRecordsMap(doc),
    started: false,
    timers: [],
    notes: [],
    awSeq: 0,
    edSeq: 0,
    lastSeen: new Map(),
    stopping: false,
    synced: false,
  }
  // Count every frame and byte this client receives, by message type.
  const handlers = provider.messageHandlers
  for (let t = 0; t < handlers.length; t++) {
    const orig = handlers[t]
    if (!orig) continue
    handlers[t] = (encoder, decoder, prov, emitSynced, type) => {
      if (counting) {
        stats.frames++
        stats.bytes += decoder.arr.byteLength
        if (type === 1) stats.awFrames++
      }
      if (spec.reads === false && provider.synced) return
      orig(encoder, decoder, prov, emitSynced, type)
    }
  }
  provider.on('connection-close', (event) => {
    if (c.stopping) return
    totalDrops++
    stats.drops++
    const code = String((event as { code?: number } | null)?.code ?? 'none')
    stats.closeCodes[code] = (stats.closeCodes[code] ?? 0) + 1
  })
  provider.awareness.setLocalState({ user: { name: spec.key, color: '#f2c94c' } })
  provider.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
    if (origin === 'local') return
    const now = nowMs()
    const states = provider.awareness.getStates()
    const visit = (id: number) => {
      if (id === doc.clientID) return
      const st = states.get(id) as { seq?: number; ts?: number } | undefined
      if (!st || typeof st.seq !== 'number') return
      const last = c.lastSeen.get(id) ?? -1
      if (st.seq <= last) return
      c.lastSeen.set(id, st.seq)
      if (inWindow(st.ts)) {
        record(stats.awLat, now - st.ts)
        stats.awRecv++
      }
    }
    for (const id of added) visit(id)
    for (const id of updated) visit(id)
  })
  c.records.observeDeep((events, txn) => {
    if (txn.local) return
    const now = nowMs()
    const seen = new Set<number>()
    for (const ev of events) {
      if (ev.target === c.records) {
        for (const [key, change] of ev.changes.keys) {
          if (change.action === 'delete') continue
          const rec = c.records.get(key)
          const meta = rec instanceof Y.Map ? rec.get('meta') : undefined
          const ts = meta instanceof Y.Map ? meta.get('ts') : undefined
          if (typeof ts === 'number') seen.add(ts)
        }
      } else if (ev.target instanceof Y.Map && (ev as Y.YMapEvent<unknown>).keysChanged.has('ts')) {
        const ts = ev.target.get('ts')
        if (typeof ts === 'number') seen.add(ts)
      }
    }
    for (const ts of seen) {
      if (inWindow(ts)) {
        record(stats.edLat, now - ts)
        stats.edRecv++
      }
    }
  })
  return c
}

function waitSynced(c: Client, timeoutMs: number): Promise<{ openMs: number | null; syncMs: number | null }> {
  const t0 = nowMs()
  let openMs: number | null = null
  return new Promise((resolve) => {
    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected' && openMs === null) openMs = nowMs() - t0
    }
    const onSync = (s: boolean) => {
      if (!s) return
      done(nowMs() - t0)
    }
    const timer = setTimeout(() => done(null), timeoutMs)
    function done(syncMs: number | null) {
      clearTimeout(timer)
      c.provider.off('status', onStatus)
      c.provider.off('sync', onSync)
      c.synced = syncMs !== null
      resolve({ openMs, syncMs })
    }
    c.provider.on('status', onStatus)
    c.provider.on('sync', onSync)
    if (c.provider.synced) done(0)
  })
}

function sendCursor(c: Client): void {
  if (c.stopping || !c.provider.wsconnected) return
  const ts = nowMs()
  c.awSeq++
  c.provider.awareness.setLocalState({
    user: { name: c.spec.key, color: '#f2c94c' },
    cursor: { x: Math.round(Math.random() * 2000), y: Math.round(Math.random() * 1200) },
    ts,
    seq: c.awSeq,
  })
  logSend('aw', c, ts)
}

function sendEdit(c: Client): void {
  if (c.stopping || !c.provider.wsconnected) return
  const ts = nowMs()
  c.edSeq++
  const meta = { ts, seq: c.edSeq }
  const x = Math.round(Math.random() * 4000)
  const y = Math.round(Math.random() * 3000)
  let rec: PlainRecord
  if (c.notes.length === 0 || Math.random() < activity.createFraction) {
    rec = noteRecord(shapeId(), x, y, meta)
    c.notes.push(rec)
  } else {
    rec = c.notes[Math.floor(Math.random() * c.notes.length)]!
    rec.x = x
    rec.y = y
    rec.meta = meta
  }
  c.doc.transact(() => putRecord(c.records, rec))
  logSend('ed', c, ts)
}

/** Ends byte/frame counting (at the window's end, or when told to stop sending). */
function close(): void {
  if (!counting) return
  counting = false
  countedTo = nowMs()
}

function startClient(c: Client): void {
  if (c.started || !c.spec.active) return
  c.started = true
  if (activity.cursorHz > 0) {
    const period = 1000 / activity.cursorHz
    const t = setTimeout(() => {
      c.timers.push(setInterval(() => sendCursor(c), period))
    }, Math.random() * period)
    c.timers.push(t)
  }
  if (activity.editEveryMs > 0) {
    const t = setTimeout(() => {
      sendEdit(c)
      c.timers.push(setInterval(() => sendEdit(c), activity.editEveryMs))
    }, Math.random() * activity.editEveryMs)
    c.timers.push(t)
  }
}

function stopClient(c: Client): void {
  for (const t of c.timers) {
    clearTimeout(t)
    clearInterval(t)
  }
  c.timers = []
  c.started = false
}

async function connect(specs: ClientSpec[], concurrency: number, timeoutMs: number) {
  const open = newHist()
  const synced = newHist()
  let failed = 0
  let next = 0
  const runOne = async () => {
    while (next < specs.length) {
      const spec = specs[next++]!
      const c = makeClient(spec)
      clients.push(c)
      const r = await waitSynced(c, timeoutMs)
      if (r.openMs !== null) record(open, r.openMs)
      if (r.syncMs !== null) record(synced, r.syncMs)
      else failed++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, runOne))
  return { open, synced, failed }
}

async function disconnectAll(): Promise<number> {
  const n = clients.length
  for (const c of clients) {
    c.stopping = true
    stopClient(c)
  }
  for (const c of clients) {
    c.provider.destroy()
    c.doc.destroy()
  }
  clients.length = 0
  return n
}

type Cmd =
  | { cmd: 'connect'; specs: ClientSpec[]; concurrency: number; timeoutMs: number }
  | { cmd: 'start'; activity: Activity }
  | { cmd: 'window'; start: number; end: number }
  | { cmd: 'stopSending' }
  | { cmd: 'collect' }
  | { cmd: 'disconnect' }
  | { cmd: 'ping' }

async function handle(msg: Cmd): Promise<unknown> {
  switch (msg.cmd) {
    case 'ping':
      return { ok: true }
    case 'connect':
      return connect(msg.specs, msg.concurrency, msg.timeoutMs)
    case 'start':
      activity = msg.activity
      for (const c of clients) startClient(c)
      return { started: clients.filter((c) => c.started).length }
    case 'window': {
      // Announced ahead of time (at the start of the warm-up) so a lagging
      // worker already knows the window when the first in-window update arrives.
      // Both ends are known up front, so senders and receivers judge "in the
      // window" by the same timestamps however late this thread runs.
      stats = newStats()
      windowStart = msg.start
      windowEnd = msg.end
      counting = false
      countedTo = 0
      const open = () => {
        stats = newStats()
        counting = true
        countedFrom = nowMs()
        eld.reset()
        setTimeout(close, Math.max(0, windowEnd - nowMs()))
      }
      const wait = msg.start - nowMs()
      if (wait > 0) setTimeout(open, wait)
      else open()
      return { ok: true }
    }
    case 'stopSending':
      close()
      for (const c of clients) stopClient(c)
      return { ok: true }
    case 'collect': {
      const finalSent: [number, string, number][] = []
      const lastSeen: { room: string; id: number; seen: [number, number][] }[] = []
      for (const c of clients) {
        if (c.spec.active && c.awSeq > 0) finalSent.push([c.doc.clientID, c.spec.room, c.awSeq])
        if (c.spec.reads !== false) lastSeen.push({ room: c.spec.room, id: c.doc.clientID, seen: [...c.lastSeen.entries()] })
      }
      const result = {
        stats: { ...stats, sentAw: countSends('aw'), sentEd: countSends('ed') },
        countedMs: (countedTo || nowMs()) - countedFrom,
        totalDrops,
        connectedNow: clients.filter((c) => c.provider.wsconnected).length,
        clients: clients.length,
        eventLoopDelay: {
          p50: eld.percentile(50) / 1e6,
          p99: eld.percentile(99) / 1e6,
          max: eld.max / 1e6,
        },
        finalSent,
        lastSeen,
      }
      sendLog.aw.clear()
      sendLog.ed.clear()
      return result
    }
    case 'disconnect':
      return { closed: await disconnectAll() }
  }
}

const { id: workerId } = workerData as { id: number }
parentPort!.on('message', (m: { rpc: number } & Cmd) => {
  handle(m).then(
    (result) => parentPort!.postMessage({ rpc: m.rpc, result }),
    (error: unknown) => parentPort!.postMessage({ rpc: m.rpc, error: String((error as Error)?.stack ?? error) }),
  )
})
parentPort!.postMessage({ ready: workerId })
