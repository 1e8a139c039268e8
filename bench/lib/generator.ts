/**
 * Main-thread side of the load generator: a pool of worker threads (see
 * genWorker.ts), each hosting many stock y-websocket clients, and the
 * aggregation of what they measured over one measurement window.
 */
import { Worker } from 'node:worker_threads'
import os from 'node:os'
import type { Activity, ClientSpec } from './genWorker'
import { UNREAD_SENDER } from './sendKeys'
import { diff, merge, newHist, summarize, nowMs, type Hist, type Summary } from './hist'
import { CpuMeter, type CpuWindow } from './procstats'
import { sleep, type ServerHandle } from './servers'

const BOOT = new URL('./workerBoot.mjs', import.meta.url)
const ENTRY = new URL('./genWorker.ts', import.meta.url).href

/** Generator workers: one per core left over after the server's core, at least one. */
/** A single generator event-loop block this long (ms) can by itself push a window's p99 over the capacity limit. */
export const GENERATOR_STALL_MS = 100

export function defaultWorkerCount(): number {
  const env = Number(process.env.BENCH_WORKERS)
  if (Number.isInteger(env) && env > 0) return env
  return Math.max(1, os.cpus().length - 1)
}

interface WorkerStats {
  stats: {
    awLat: Hist
    edLat: Hist
    awRecv: number
    edRecv: number
    awFrames: number
    frames: number
    bytes: number
    sentAw: Record<string, number>
    sentEd: Record<string, number>
    drops: number
    closeCodes: Record<string, number>
  }
  countedMs: number
  totalDrops: number
  connectedNow: number
  clients: number
  eventLoopDelay: { p50: number; p99: number; max: number }
  finalSent: [number, string, number][]
  lastSeen: { room: string; id: number; seen: [number, number][] }[]
}

export class Generator {
  private nextRpc = 1
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>()
  private constructor(private workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: { rpc?: number; result?: unknown; error?: string }) => {
        if (m.rpc === undefined) return
        const p = this.pending.get(m.rpc)
        if (!p) return
        this.pending.delete(m.rpc)
        clearTimeout(p.timer)
        if (m.error) p.reject(new Error(m.error))
        else p.resolve(m.result)
      })
      w.on('error', (e) => {
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer)
          p.reject(e)
          this.pending.delete(id)
        }
      })
    }
  }

  get size(): number {
    return this.workers.length
  }

  static async create(count = defaultWorkerCount()): Promise<Generator> {
    const workers: Worker[] = []
    await Promise.all(
      Array.from({ length: count }, (_, id) => {
        const w = new Worker(BOOT, { workerData: { id, entry: ENTRY } })
        workers.push(w)
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('generator worker did not start in 30 s')), 30_000)
          w.on('message', (m: { ready?: number }) => {
            if (m.ready !== undefined) {
              clearTimeout(timer)
              resolve()
            }
          })
          w.once('error', reject)
        })
      }),
    )
    return new Generator(workers)
  }

  call<T>(i: number, cmd: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
    const rpc = this.nextRpc++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rpc)
        reject(new Error(`worker ${i} did not answer ${String(cmd.cmd)} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(rpc, { resolve: resolve as (v: unknown) => void, reject, timer })
      this.workers[i]!.postMessage({ ...cmd, rpc })
    })
  }

  all<T>(cmd: Record<string, unknown>, timeoutMs?: number): Promise<T[]> {
    return Promise.all(this.workers.map((_, i) => this.call<T>(i, cmd, timeoutMs)))
  }

  /** Connects clients, spread round-robin over the workers. */
  async connect(specs: ClientSpec[], concurrency = 16, timeoutMs = 30_000): Promise<ConnectResult> {
    const parts: ClientSpec[][] = this.workers.map(() => [])
    specs.forEach((s, i) => parts[i % this.workers.length]!.push(s))
    const t0 = nowMs()
    const per = Math.max(1, Math.ceil(concurrency / this.workers.length))
    const results = await Promise.all(
      parts.map((p, i) =>
        this.call<{ open: Hist; synced: Hist; failed: number }>(i, { cmd: 'connect', specs: p, concurrency: per, timeoutMs }, timeoutMs * (1 + p.length / per) + 30_000),
      ),
    )
    const open = newHist()
    const synced = newHist()
    let failed = 0
    for (const r of results) {
      merge(open, r.open)
      merge(synced, r.synced)
      failed += r.failed
    }
    return { requested: specs.length, failed, open: summarize(open), synced: summarize(synced), wallMs: Math.round(nowMs() - t0) }
  }

  start(activity: Activity): Promise<unknown[]> {
    return this.all({ cmd: 'start', activity })
  }

  disconnect(): Promise<unknown[]> {
    return this.all({ cmd: 'disconnect' }, 60_000)
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)))
  }
}

export interface ConnectResult {
  requested: number
  failed: number
  open: Summary
  synced: Summary
  wallMs: number
}

export interface WindowResult {
  windowSeconds: number
  clients: number
  connectedAtEnd: number
  awareness: Summary & {
    sent: number
    expected: number
    received: number
    deliveredFraction: number | null
    framesPerClientPerSec: number
    /** Fraction of (receiver, active sender) pairs where the receiver ended holding the sender's last cursor. */
    finalStateConverged: number | null
  }
  edits: Summary & { sent: number; expected: number; received: number; deliveredFraction: number | null }
  bytesPerClientPerSec: number
  framesPerClientPerSec: number
  droppedInWindow: number
  droppedSinceConnect: number
  closeCodes: Record<string, number>
  generatorEventLoopDelayMs: { p99: number; max: number }
  cpu: CpuWindow
  generatorWorkers: number
  /** Generator CPU as % of the cores it may use (workers; main thread is counted too). */
  generatorCpuOfItsCoresPct: number | null
  /** Ours only: update-log append latency measured inside the server by bench/lib/sqliteProbe.mjs. */
  updateLogWrite: Summary | null
  /** Event-loop delay inside the server process over the window and drain (bench probe). */
  serverEventLoopDelayMs: { p50: number; p99: number; max: number } | null
  serverHeapUsedBytes: number | null
  limits: string[]
}

/**
 * Announces a measurement window starting after `warmupSeconds`, keeps
 * traffic running for `seconds` more, stops sending, drains for `drainMs`,
 * and aggregates.
 */
export async function measureWindow(
  gen: Generator,
  server: ServerHandle,
  roomSize: Map<string, number>,
  seconds: number,
  drainMs: number,
  warmupSeconds: number,
  /** Clients per room that read what they receive (ClientSpec.reads); default every client. */
  readers: Map<string, number> = roomSize,
): Promise<WindowResult> {
  const start = nowMs() + Math.max(200, warmupSeconds * 1000)
  const end = start + seconds * 1000
  await gen.all({ cmd: 'window', start, end })
  await sleep(Math.max(0, start - nowMs()))
  server.resetProbe()
  const probe0 = server.readProbe()
  const meter = new CpuMeter(server.pid)
  await sleep(Math.max(0, end - nowMs()))
  await gen.all({ cmd: 'stopSending' })
  const cpu = meter.stop()
  await sleep(drainMs)
  const parts = await gen.all<WorkerStats>({ cmd: 'collect' }, 60_000)
  await sleep(300) // the probe flushes every 250 ms
  const probe1 = server.readProbe()
  const updateLogWrite = probe1 && server.kind === 'ours' ? summarize(probe0 ? diff(probe1, probe0) : probe1) : null
  const sel = probe1?.eventLoopDelayMs
  const serverEventLoopDelayMs = sel ? { p50: Math.round(sel.p50 * 10) / 10, p99: Math.round(sel.p99 * 10) / 10, max: Math.round(sel.max * 10) / 10 } : null
  const serverHeapUsedBytes = probe1?.memory?.heapUsed ?? null
  const windowSeconds = (end - start) / 1000

  const awLat = newHist()
  const edLat = newHist()
  let awRecv = 0
  let edRecv = 0
  let awFramesRate = 0
  let framesRate = 0
  let bytesRate = 0
  let drops = 0
  let totalDrops = 0
  let clients = 0
  let connectedNow = 0
  const sentAw = new Map<string, number>()
  const sentEd = new Map<string, number>()
  const closeCodes: Record<string, number> = {}
  let eldP99 = 0
  let eldMax = 0
  const finalSent: [number, string, number][] = []
  const lastSeen: { room: string; id: number; seen: [number, number][] }[] = []
  for (const p of parts) {
    merge(awLat, p.stats.awLat)
    merge(edLat, p.stats.edLat)
    awRecv += p.stats.awRecv
    edRecv += p.stats.edRecv
    // rates per worker over the interval that worker actually counted, then summed
    const secs = Math.max(0.001, p.countedMs / 1000)
    awFramesRate += p.stats.awFrames / secs
    framesRate += p.stats.frames / secs
    bytesRate += p.stats.bytes / secs
    drops += p.stats.drops
    totalDrops += p.totalDrops
    clients += p.clients
    connectedNow += p.connectedNow
    for (const [r, n] of Object.entries(p.stats.sentAw)) sentAw.set(r, (sentAw.get(r) ?? 0) + n)
    for (const [r, n] of Object.entries(p.stats.sentEd)) sentEd.set(r, (sentEd.get(r) ?? 0) + n)
    for (const [c, n] of Object.entries(p.stats.closeCodes)) closeCodes[c] = (closeCodes[c] ?? 0) + n
    eldP99 = Math.max(eldP99, p.eventLoopDelay.p99)
    eldMax = Math.max(eldMax, p.eventLoopDelay.max)
    finalSent.push(...p.finalSent)
    lastSeen.push(...p.lastSeen)
  }
  let expAw = 0
  let expEd = 0
  let sumAw = 0
  let sumEd = 0
  // Every reader of the room but the sender itself should receive each send.
  const receiversOf = (key: string) =>
    key.endsWith(UNREAD_SENDER) ? (readers.get(key.slice(0, -UNREAD_SENDER.length)) ?? 0) : (readers.get(key) ?? 1) - 1
  for (const [key, n] of sentAw) {
    expAw += n * receiversOf(key)
    sumAw += n
  }
  for (const [key, n] of sentEd) {
    expEd += n * receiversOf(key)
    sumEd += n
  }
  // final cursor convergence
  const byRoom = new Map<string, { id: number; seen: Map<number, number> }[]>()
  for (const l of lastSeen) {
    const list = byRoom.get(l.room) ?? []
    list.push({ id: l.id, seen: new Map(l.seen) })
    byRoom.set(l.room, list)
  }
  let pairs = 0
  let converged = 0
  for (const [sender, room, seq] of finalSent) {
    for (const r of byRoom.get(room) ?? []) {
      if (r.id === sender) continue
      pairs++
      if (r.seen.get(sender) === seq) converged++
    }
  }
  const r3 = (v: number) => Math.round(v * 1000) / 1000
  const genOfCores = cpu.generatorCpuPct === null ? null : Math.round((cpu.generatorCpuPct / gen.size) * 10) / 10
  const limits: string[] = []
  if (genOfCores !== null && genOfCores >= 85) limits.push(`generator CPU ${genOfCores}% of its ${gen.size} core(s): generator-limited`)
  if (eldP99 >= 50) limits.push(`generator event-loop delay p99 ${eldP99.toFixed(0)} ms: latencies include generator queueing`)
  else if (eldMax >= GENERATOR_STALL_MS) limits.push(`generator event loop blocked for ${eldMax.toFixed(0)} ms at once (its own GC or scheduling): the worst latencies include that stall`)
  if (cpu.hostCpuPct !== null && cpu.hostCpuPct >= 90) limits.push(`host CPU ${cpu.hostCpuPct}%: machine saturated (server and generator compete)`)
  if (cpu.otherCpuPct !== null && cpu.otherCpuPct >= 40) limits.push(`${cpu.otherCpuPct}% of a core used outside the server and generator processes (kernel networking, other processes on this shared machine)`)
  if (serverEventLoopDelayMs && serverEventLoopDelayMs.p99 >= 50) limits.push(`server event-loop delay p99 ${serverEventLoopDelayMs.p99} ms: the server queues work`)
  if (cpu.serverCpuPct !== null && cpu.serverCpuPct >= 90) limits.push(`server CPU ${cpu.serverCpuPct}% of one core: server-limited (single-threaded)`)
  return {
    windowSeconds: Math.round(windowSeconds * 10) / 10,
    clients,
    connectedAtEnd: connectedNow,
    awareness: {
      ...summarize(awLat),
      sent: sumAw,
      expected: expAw,
      received: awRecv,
      deliveredFraction: expAw ? r3(awRecv / expAw) : null,
      framesPerClientPerSec: clients ? Math.round((awFramesRate / clients) * 10) / 10 : 0,
      finalStateConverged: pairs ? r3(converged / pairs) : null,
    },
    edits: { ...summarize(edLat), sent: sumEd, expected: expEd, received: edRecv, deliveredFraction: expEd ? r3(edRecv / expEd) : null },
    bytesPerClientPerSec: clients ? Math.round(bytesRate / clients) : 0,
    framesPerClientPerSec: clients ? Math.round((framesRate / clients) * 10) / 10 : 0,
    droppedInWindow: drops,
    droppedSinceConnect: totalDrops,
    closeCodes,
    generatorEventLoopDelayMs: { p99: Math.round(eldP99 * 10) / 10, max: Math.round(eldMax * 10) / 10 },
    cpu,
    generatorWorkers: gen.size,
    generatorCpuOfItsCoresPct: genOfCores,
    updateLogWrite,
    serverEventLoopDelayMs,
    serverHeapUsedBytes,
    limits,
  }
}
