/**
 * Workload 1 "workshop room": one board, N clients, 30% active. Active clients
 * move their cursor at 20 Hz (awareness) and create or move a note every 2 s
 * (a document edit whose note carries the sender's timestamp in meta.ts).
 *
 * Receivers 'all': every client is a full stock client (the default).
 * Receivers 'active': only the active clients apply what they receive and
 * measure; the passive ones count frames and bytes without applying them
 * (ClientSpec.reads), so the generator is not what saturates at large N. The
 * server's work is the same: it still sends every frame to every socket.
 */
import type { ClientSpec } from '../lib/genWorker'
import { measureWindow, type ConnectResult, type Generator, type WindowResult } from '../lib/generator'
import { createBoard, healthz, sleep, startServer, type Health, type ServerKind, type StartOptions } from '../lib/servers'
import type { Deadline } from '../lib/deadline'
import type { PersistenceEvidence } from './persistence'

export interface WorkshopConfig {
  ns: number[]
  activeFraction: number
  cursorHz: number
  editEveryMs: number
  warmupSeconds: number
  windowSeconds: number
  drainMs: number
  server: StartOptions
}

export type Receivers = 'all' | 'active'

export interface WorkshopRow {
  server: ServerKind
  n: number
  /** Which clients apply and measure what they receive (absent in older results: 'all'). */
  receivers?: Receivers
  active: number
  connect: ConnectResult
  health: Health | null
  result: WindowResult | null
  error?: string
  /** Unattributed CPU (% of a core) of each attempt; more than one when a window was contaminated by other processes. */
  attempts?: number[]
  /** Ours, largest N: what the update log held after the window. */
  persistence?: PersistenceEvidence
}

export async function runWorkshop(
  kind: ServerKind,
  gen: Generator,
  cfg: WorkshopConfig,
  n: number,
  deadline: Deadline,
  after?: (row: WorkshopRow, dataDir: string | null) => Promise<void>,
  receivers: Receivers = 'all',
): Promise<WorkshopRow> {
  const server = await startServer(kind, cfg.server)
  const active = Math.round(n * cfg.activeFraction)
  const row: WorkshopRow = {
    server: kind,
    n,
    receivers,
    active,
    connect: { requested: n, failed: n, open: emptySummary(), synced: emptySummary(), wallMs: 0 },
    health: null,
    result: null,
  }
  try {
    const board = await createBoard(server, `bench workshop ${n}`)
    // spread active clients evenly: client i is active when floor(i*f) advances
    const specs: ClientSpec[] = Array.from({ length: n }, (_, i) => {
      const active = Math.floor((i + 1) * cfg.activeFraction) > Math.floor(i * cfg.activeFraction)
      return { key: `c${i}`, serverUrl: server.wsUrl, room: board, active, reads: receivers === 'all' || active }
    })
    row.active = specs.filter((s) => s.active).length
    const readers = specs.filter((s) => s.reads).length
    row.connect = await gen.connect(specs, 16, 30_000)
    deadline.check()
    await gen.start({ cursorHz: cfg.cursorHz, editEveryMs: cfg.editEveryMs, createFraction: 0.25 })
    row.result = await measureWindow(gen, server, new Map([[board, n]]), cfg.windowSeconds, cfg.drainMs, cfg.warmupSeconds, new Map([[board, readers]]))
    row.health = await healthz(server)
    if (after) await after(row, server.dataDir)
  } catch (e) {
    row.error = String((e as Error).message ?? e)
  } finally {
    await gen.disconnect().catch(() => 0)
    await sleep(300)
    await server.stop()
  }
  return row
}

export function emptySummary() {
  return { n: 0, p50: null, p95: null, p99: null, max: null, mean: null }
}
