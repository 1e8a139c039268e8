/**
 * Starting, talking to and stopping the two servers under test, each as its
 * own child process. Every child is registered so it is killed when the
 * benchmark exits, errs or is interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Hist } from './hist'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type ServerKind = 'ours' | 'reference'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const OURS_ENTRY = join(REPO_ROOT, 'server/src/main.ts')
export const REFERENCE_ENTRY = join(REPO_ROOT, 'bench/referenceServer.ts')
export const PROBE_ENTRY = join(REPO_ROOT, 'bench/lib/sqliteProbe.mjs')

export interface ServerHandle {
  kind: ServerKind
  pid: number
  baseUrl: string
  /** Pass to WebsocketProvider as serverUrl; the room name is the board id. */
  wsUrl: string
  dataDir: string | null
  env: Record<string, string>
  stderrTail: () => string
  /** With the probe: update-log write histogram so far (ours), event-loop delay and memory; null otherwise. */
  readProbe: () => Probe | null
  /** Restarts the probe's event-loop delay histogram (takes effect within 250 ms). */
  resetProbe: () => void
  /** Diagnosis: a full GC in the server (needs --expose-gc) and its memory after; null if unavailable. */
  forceGc: () => Promise<Probe['afterGc'] | null>
  stop: () => Promise<void>
}

const children = new Set<ChildProcess>()

export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    try {
      if (child.exitCode === null && child.pid) process.kill(child.pid, signal)
    } catch {}
  }
}

export function oursAvailable(): boolean {
  return existsSync(OURS_ENTRY)
}

export interface StartOptions {
  roomIdleMs?: number
  extraNodeArgs?: string[]
  extraEnv?: Record<string, string>
  /** Preload bench/lib/sqliteProbe.mjs: event-loop delay and memory (both), update-log write timing (ours). */
  probe?: boolean
}

export interface Probe extends Hist {
  at: number
  eventLoopDelayMs?: { p50: number; p99: number; max: number; since: number }
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }
  afterGc?: { at: number; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number } | null
}

export async function startServer(kind: ServerKind, opts: StartOptions = {}): Promise<ServerHandle> {
  const dataDir = kind === 'ours' ? mkdtempSync(join(tmpdir(), 'wb-bench-')) : null
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    // The bench creates its boards through the API: creation stays open whatever the shell has set.
    BOARD_CREATION_CODE: '',
    // Hundreds of boards from 127.0.0.1 in a minute: the per-address creation and upload rates would refuse them.
    BOARDS_PER_HOUR_PER_ADDRESS: '0',
    UPLOADS_PER_HOUR_PER_ADDRESS: '0',
    UPLOADS_PER_HOUR_PER_BOARD: '0',
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
    ...(opts.roomIdleMs !== undefined ? { ROOM_IDLE_MS: String(opts.roomIdleMs) } : {}),
    ...(opts.extraEnv ?? {}),
  }
  const entry = kind === 'ours' ? OURS_ENTRY : REFERENCE_ENTRY
  const probeDir = opts.probe ? (dataDir ?? mkdtempSync(join(tmpdir(), 'wb-bench-probe-'))) : null
  const probeFile = probeDir ? join(probeDir, 'bench-probe.json') : null
  if (probeFile) {
    env.BENCH_PROBE_OUT = probeFile
    if (kind === 'ours') env.BENCH_PROBE_SQLITE = '1'
  }
  const nodeArgs = [...(opts.extraNodeArgs ?? []), ...(probeFile ? ['--import', PROBE_ENTRY] : []), '--import', 'tsx', entry]
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.on('exit', () => children.delete(child))
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${kind} server did not print its address within 30 s; stderr: ${stderr}`)), 30_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/[^\s]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1]!.replace(/\/$/, ''))
      }
      if (out.length > 100_000) out = out.slice(-10_000)
    })
    child.on('exit', (code, sig) => {
      clearTimeout(timer)
      reject(new Error(`${kind} server exited early (code ${code}, signal ${sig}); stderr: ${stderr}`))
    })
  })
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/sync'
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    await new Promise<void>((done) => {
      const kill = setTimeout(() => {
        try {
          child.kill('SIGKILL')
        } catch {}
      }, 8000)
      child.once('exit', () => {
        clearTimeout(kill)
        done()
      })
      child.kill('SIGTERM')
    })
    if (dataDir && !process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true })
    if (probeDir && probeDir !== dataDir) rmSync(probeDir, { recursive: true, force: true })
  }
  const readProbe = (): Probe | null => {
    if (!probeFile) return null
    try {
      return JSON.parse(readFileSync(probeFile, 'utf8')) as Probe
    } catch {
      return null
    }
  }
  const resetProbe = () => {
    if (probeFile) writeFileSync(probeFile + '.reset', String(Date.now()))
  }
  const forceGc = async (): Promise<Probe['afterGc'] | null> => {
    if (!probeFile) return null
    const t = Date.now()
    writeFileSync(probeFile + '.gc', String(t))
    for (let i = 0; i < 40; i++) {
      await sleep(100)
      const p = readProbe()
      if (p?.afterGc && p.afterGc.at >= t) return p.afterGc
    }
    return null
  }
  return { kind, pid: child.pid!, baseUrl, wsUrl, dataDir, env, stderrTail: () => stderr, readProbe, resetProbe, forceGc, stop }
}

/**
 * Creates a board and returns the "room" a stock provider connects to. Our
 * server answers with the board's link keys: the room then carries the
 * participant key (`<id>?key=...`, the provider appends it to its URL as is);
 * the reference server has no keys.
 */
export async function createBoard(server: ServerHandle, title: string): Promise<string> {
  const res = await fetch(server.baseUrl + '/api/boards', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, language: 'en' }),
    signal: AbortSignal.timeout(10_000),
  })
  if (res.status !== 201) throw new Error(`POST /api/boards -> ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { id?: string; board?: { id?: string }; keys?: { participant?: string } }
  const id = body.board?.id ?? body.id
  if (typeof id !== 'string') throw new Error('POST /api/boards returned no id')
  return body.keys?.participant ? `${id}?key=${body.keys.participant}` : id
}

export async function createBoards(server: ServerHandle, count: number, prefix: string, concurrency = 8): Promise<string[]> {
  const ids: string[] = new Array(count)
  let next = 0
  const run = async () => {
    while (next < count) {
      const i = next++
      ids[i] = await createBoard(server, `${prefix} ${i}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, run))
  return ids
}

export interface Health {
  ok?: boolean
  rooms?: number
  connections?: number
  uptimeSeconds?: number
  [k: string]: unknown
}

export async function healthz(server: ServerHandle): Promise<Health | null> {
  try {
    const res = await fetch(server.baseUrl + '/healthz', { signal: AbortSignal.timeout(5000) })
    if (!res.ok) return null
    return (await res.json()) as Health
  } catch {
    return null
  }
}

/** Polls /healthz until it reports 0 rooms; returns ms waited, or null on timeout / no metric. */
export async function waitRoomsUnloaded(server: ServerHandle, timeoutMs: number): Promise<number | null> {
  const t0 = Date.now()
  for (let i = 0; i < 1000 && Date.now() - t0 < timeoutMs; i++) {
    const h = await healthz(server)
    if (h && h.rooms === 0) return Date.now() - t0
    await sleep(100)
  }
  return null
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export function cleanupDir(dir: string | null): void {
  if (dir) rmSync(dir, { recursive: true, force: true })
}
