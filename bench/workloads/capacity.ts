/**
 * Workload 2 "capacity": many rooms of 5 clients each, stepping the number of
 * rooms up (clients of earlier steps stay connected and keep working) until
 * p99 edit fan-out latency passes the limit. Lighter traffic per client: every
 * client is active, cursor at 2 Hz, a note created or moved every 5 s.
 *
 * Also the memory check: server RSS at start-up, at the largest step, and
 * after every client disconnected and the room idle grace period passed.
 */
import type { ClientSpec } from '../lib/genWorker'
import { SETTLE_COLLECTION_MS } from '../../server/src/idleGc'
import { GENERATOR_STALL_MS, measureWindow, type ConnectResult, type Generator, type WindowResult } from '../lib/generator'
import { readRssBytes } from '../lib/procstats'
import {
  createBoards,
  healthz,
  sleep,
  startServer,
  waitRoomsUnloaded,
  type Health,
  type ServerKind,
  type StartOptions,
} from '../lib/servers'
import type { Deadline } from '../lib/deadline'

export interface CapacityConfig {
  steps: number[]
  clientsPerRoom: number
  /**
   * Clients per room that apply and measure what they receive; the others send
   * as usual and only count what arrives (ClientSpec.reads). Default all.
   */
  readersPerRoom?: number
  cursorHz: number
  editEveryMs: number
  warmupSeconds: number
  windowSeconds: number
  drainMs: number
  p99LimitMs: number
  graceMs: number
  /** Re-measure a step whose window saw this much CPU (% of a core) used by other processes… */
  contaminatedPct: number
  /** …up to this many windows per step; the cleanest is kept. */
  maxAttempts: number
  server: StartOptions
}

export interface CapacityStep {
  rooms: number
  connections: number
  connect: ConnectResult
  health: Health | null
  result: WindowResult
  serverRssBytes: number | null
  /** Unattributed CPU (% of a core) of each window measured at this step; the cleanest was kept. */
  attempts: number[]
}

export interface CapacityResult {
  server: ServerKind
  steps: CapacityStep[]
  /** Largest step whose p99 edit latency stayed under the limit. */
  maxRoomsUnderLimit: number | null
  /** Steps over the limit whose every window was shared with other processes: not taken as the server's limit. */
  inconclusiveSteps: number[]
  stoppedBecause: string
  memory: {
    startRssBytes: number | null
    peakRssBytes: number | null
    peakRooms: number
    afterGraceRssBytes: number | null
    /** V8 heap used inside the server (bench probe) at the same three points. */
    startHeapUsedBytes: number | null
    peakHeapUsedBytes: number | null
    afterGraceHeapUsedBytes: number | null
    /** Diagnosis, not the target: after one forced full GC (server started with --expose-gc). */
    afterForcedGcRssBytes: number | null
    afterForcedGcHeapUsedBytes: number | null
    /** Full process.memoryUsage() after the forced GC: heapTotal, external, arrayBuffers. */
    afterForcedGc?: Record<string, number> | null
    graceWaitedMs: number | null
    /** RSS once a second from the moment the rooms were gone (bytes; null where unreadable). */
    idleRssSeries?: (number | null)[]
    roomsAfterGrace: number | null
    note: string
  }
  error?: string
}

const readersOf = (cfg: CapacityConfig) => Math.min(cfg.clientsPerRoom, cfg.readersPerRoom ?? cfg.clientsPerRoom)

/** When the after-grace RSS is read, counted from the moment no room is loaded. */
// The young generation is released a few seconds after the settled collection (V8 unmaps in the background).
const settleReadMs = (cfg: CapacityConfig) => Math.max(cfg.graceMs, SETTLE_COLLECTION_MS + 9000)

/** "RSS MB at +0 s 163, +5 s 132, ..." for the note. */
function idleCurve(series: (number | null)[] | undefined): string {
  if (!series?.length) return 'no series'
  const at = series.map((b, i) => ({ i, b })).filter(({ i }) => i % 3 === 0 || i === series.length - 1)
  return 'RSS MB ' + at.map(({ i, b }) => `+${i} s ${b === null ? '?' : Math.round(b / 1048576)}`).join(', ')
}

export async function runCapacity(kind: ServerKind, gen: Generator, cfg: CapacityConfig, deadline: Deadline): Promise<CapacityResult> {
  // --expose-gc only lets the memory diagnosis force one GC after the grace period; nothing calls gc() before that.
  const server = await startServer(kind, { ...cfg.server, extraNodeArgs: [...(cfg.server.extraNodeArgs ?? []), '--expose-gc'] })
  const out: CapacityResult = {
    server: kind,
    steps: [],
    maxRoomsUnderLimit: null,
    inconclusiveSteps: [],
    stoppedBecause: 'all steps run',
    memory: {
      startRssBytes: null,
      peakRssBytes: null,
      peakRooms: 0,
      afterGraceRssBytes: null,
      startHeapUsedBytes: null,
      peakHeapUsedBytes: null,
      afterGraceHeapUsedBytes: null,
      afterForcedGcRssBytes: null,
      afterForcedGcHeapUsedBytes: null,
      graceWaitedMs: null,
      roomsAfterGrace: null,
      note: '',
    },
  }
  const roomSize = new Map<string, number>()
  try {
    await sleep(3000)
    out.memory.startRssBytes = readRssBytes(server.pid)
    out.memory.startHeapUsedBytes = server.readProbe()?.memory?.heapUsed ?? null
    for (const target of cfg.steps) {
      if (deadline.remainingMs() < (cfg.windowSeconds + cfg.warmupSeconds + 30) * 1000) {
        out.stoppedBecause = 'run time budget'
        break
      }
      const need = target - roomSize.size
      if (need <= 0) continue
      const ids = await createBoards(server, need, 'bench capacity')
      const specs: ClientSpec[] = []
      for (const id of ids) {
        roomSize.set(id, cfg.clientsPerRoom)
        for (let k = 0; k < cfg.clientsPerRoom; k++) {
          specs.push({ key: `r${roomSize.size}c${k}`, serverUrl: server.wsUrl, room: id, active: true, reads: k < readersOf(cfg) })
        }
      }
      const connect = await gen.connect(specs, 32, 30_000)
      await gen.start({ cursorHz: cfg.cursorHz, editEveryMs: cfg.editEveryMs, createFraction: 0.25 })
      const readers = new Map([...roomSize.keys()].map((room) => [room, readersOf(cfg)]))
      // A window is measured again when it cannot speak for the server: other processes shared the
      // CPU, or it went over the limit while the generator itself stalled (a 400 ms GC pause in the
      // generator once put a 300-room step at p99 129 ms with the server at 33% CPU and its loop max 66 ms).
      const contaminated = (w: WindowResult) => (w.cpu.otherCpuPct ?? 0) >= cfg.contaminatedPct
      const overLimit = (w: WindowResult) => w.edits.p99 === null || w.edits.p99 >= cfg.p99LimitMs
      const stalled = (w: WindowResult) => overLimit(w) && w.generatorEventLoopDelayMs.max >= GENERATOR_STALL_MS
      const doubtful = (w: WindowResult) => contaminated(w) || stalled(w)
      let result = await measureWindow(gen, server, roomSize, cfg.windowSeconds, cfg.drainMs, cfg.warmupSeconds, readers)
      const attempts = [result.cpu.otherCpuPct ?? -1]
      for (let a = 1; a < cfg.maxAttempts && doubtful(result); a++) {
        if (deadline.remainingMs() < (cfg.windowSeconds + 60) * 1000) break
        await gen.start({ cursorHz: cfg.cursorHz, editEveryMs: cfg.editEveryMs, createFraction: 0.25 })
        const again = await measureWindow(gen, server, roomSize, cfg.windowSeconds, cfg.drainMs, cfg.warmupSeconds, readers)
        attempts.push(again.cpu.otherCpuPct ?? -1)
        // Keep the attempt that speaks for the server: the clean one, else the less contaminated one.
        const better = doubtful(result) !== doubtful(again) ? !doubtful(again) : (again.cpu.otherCpuPct ?? 0) < (result.cpu.otherCpuPct ?? 0)
        if (better) result = again
      }
      const rss = readRssBytes(server.pid)
      const step: CapacityStep = {
        rooms: roomSize.size,
        connections: roomSize.size * cfg.clientsPerRoom,
        connect,
        health: await healthz(server),
        result,
        serverRssBytes: rss,
        attempts,
      }
      out.steps.push(step)
      if (rss !== null && (out.memory.peakRssBytes === null || rss > out.memory.peakRssBytes)) {
        out.memory.peakRssBytes = rss
        out.memory.peakHeapUsedBytes = server.readProbe()?.memory?.heapUsed ?? null
      }
      out.memory.peakRooms = roomSize.size
      const p99 = result.edits.p99
      if (p99 !== null && p99 < cfg.p99LimitMs && connect.failed === 0) out.maxRoomsUnderLimit = roomSize.size
      if (p99 === null || p99 >= cfg.p99LimitMs) {
        if (doubtful(result) && target !== cfg.steps.at(-1)) {
          // Not the server's verdict: other processes shared the CPU, or the generator stalled, in every attempt. Go on.
          out.inconclusiveSteps.push(roomSize.size)
          continue
        }
        out.stoppedBecause = `p99 edit latency ${p99 ?? 'n/a'} ms >= ${cfg.p99LimitMs} ms at ${roomSize.size} rooms`
        break
      }
      if (connect.failed > 0) {
        out.stoppedBecause = `${connect.failed} clients failed to connect at ${roomSize.size} rooms`
        break
      }
    }
  } catch (e) {
    out.error = String((e as Error).message ?? e)
  }
  try {
    await gen.disconnect()
    const t0 = Date.now()
    if (kind === 'ours') {
      const waited = await waitRoomsUnloaded(server, (cfg.server.roomIdleMs ?? 0) + 30_000)
      out.memory.graceWaitedMs = waited
    } else {
      out.memory.graceWaitedMs = Date.now() - t0
    }
    // Ours collects garbage at once when idle and again SETTLE_COLLECTION_MS later, when V8
    // will shrink its young generation (server/src/idleGc.ts); the RSS is read after both.
    out.memory.idleRssSeries = []
    for (let s = 0; s * 1000 < settleReadMs(cfg); s++) {
      out.memory.idleRssSeries.push(readRssBytes(server.pid))
      await sleep(1000)
    }
    out.memory.afterGraceRssBytes = readRssBytes(server.pid)
    out.memory.afterGraceHeapUsedBytes = server.readProbe()?.memory?.heapUsed ?? null
    const gc = await server.forceGc()
    out.memory.afterForcedGcRssBytes = gc?.rss ?? null
    out.memory.afterForcedGcHeapUsedBytes = gc?.heapUsed ?? null
    out.memory.afterForcedGc = gc ?? null
    out.memory.roomsAfterGrace = (await healthz(server))?.rooms ?? null
    out.memory.note =
      kind === 'ours'
        ? `ROOM_IDLE_MS=${cfg.server.roomIdleMs}; RSS read ${settleReadMs(cfg) / 1000} s after /healthz reported 0 rooms (${idleCurve(out.memory.idleRssSeries)})`
        : 'the stock reference server without persistence never unloads a document (its `docs` map keeps every room)'
  } catch (e) {
    out.error = (out.error ? out.error + '; ' : '') + String((e as Error).message ?? e)
  } finally {
    await server.stop()
  }
  return out
}
