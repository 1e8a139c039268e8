/**
 * Test helpers shared by the server tests and the browser end-to-end tests:
 * a REAL server process on an ephemeral port with its own data directory, and
 * stock y-websocket clients connected to it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { boardLinkPath, KEY_PARAM, type Role } from '../../shared/access'
import { BOARD_CREATION_CODE_HEADER, type BoardAccess, type BoardMeta } from '../../shared/api'
import type { Language } from '../../shared/languages'
import { SYNC_PATH } from '../../shared/protocol'
import { PROTOCOL_PARAM } from '../../shared/syncHandshake'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ENTRY = path.join(REPO_ROOT, 'server/src/main.ts')
const STARTUP_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 10_000

/** Options for startServer. */
export interface StartServerOptions {
  /** Reuse a data directory (restart scenarios); default: a fresh one under os.tmpdir(). */
  dataDir?: string
  /** Extra environment, e.g. { ROOM_IDLE_MS: '200' }. */
  env?: Record<string, string>
}

/** A running server process. */
export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string
  /** ws://127.0.0.1:<port>/sync — pass as WebsocketProvider's serverUrl, with the board id as room name. */
  wsUrl: string
  port: number
  dataDir: string
  proc: ChildProcess
  /** Everything the process wrote to stderr so far (JSON log lines). */
  stderr(): string
  /** SIGTERM, then waits for the exit; rejects if the exit code is not 0. */
  stop(): Promise<void>
  /** SIGKILL (no chance to flush), then waits for the exit. */
  kill9(): Promise<void>
  /** Stops the process if still running and starts a new one on the same data directory. */
  restart(): Promise<TestServer>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

const DIR_PREFIX = 'whiteboard-test-'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Test runners often kill their workers without an 'exit' event, so data
 * directories are named after the creating process and removed by a later
 * run once that process is gone (KEEP_TEST_DATA=1 keeps them).
 */
function removeStaleDataDirs(): void {
  if (process.env.KEEP_TEST_DATA) return
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = name.startsWith(DIR_PREFIX) ? Number(/^\D+(\d+)-/.exec(name)?.[1]) : 0
    if (pid && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true })
  }
}
removeStaleDataDirs()

/** Resolves when the process has exited (at once if it already has). */
export function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode })
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
}

/** A server process that has printed its listening line. */
export interface SpawnedServer {
  proc: ChildProcess
  port: number
  /** Everything the process wrote to stderr so far. */
  stderr(): string
}

/**
 * Every test server comes from 127.0.0.1 and many create dozens of boards and
 * images: the per-address and per-board rates are off (0) unless a test sets
 * them (server/test/quotas.test.ts does). Production defaults are in config.ts.
 */
export const GENEROUS_QUOTAS: Record<string, string> = {
  BOARDS_PER_HOUR_PER_ADDRESS: '0',
  UPLOADS_PER_HOUR_PER_BOARD: '0',
  UPLOADS_PER_HOUR_PER_ADDRESS: '0',
}

/**
 * Spawns `node --import tsx server/src/main.ts` on 127.0.0.1 (port 0 lets the
 * kernel choose) and waits for its "listening" line. The one place tests start
 * a server process; startServer and the fault tests' fixed-port server build on it.
 */
export async function spawnServerProcess(opts: { dataDir: string; port: number; env?: Record<string, string> }): Promise<SpawnedServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: REPO_ROOT,
    // Open to board creation unless a test asks for an organiser code, whatever the developer's shell has set.
    env: { ...process.env, LOG_LEVEL: 'warn', BOARD_CREATION_CODE: '', ...GENEROUS_QUOTAS, ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1', DATA_DIR: opts.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(proc)
  proc.once('exit', () => running.delete(proc))
  let stderr = ''
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-200_000)
  })

  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    let listening = false
    const fail = (why: string) => {
      if (listening) return
      clearTimeout(timer)
      proc.kill('SIGKILL')
      reject(new Error(`server ${why}; stderr:\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`did not print its listening line within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS)
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /workshop-whiteboard listening on http:\/\/[^\s:]+:(\d+)/.exec(stdout)
      if (match && !listening) {
        listening = true
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    // 'close' (not 'exit') so stderr has been read in full when the error is built.
    proc.once('close', (code, signal) => fail(`exited before listening (code ${code}, signal ${signal})`))
  })
  return { proc, port, stderr: () => stderr }
}

/** Spawns a server on a fresh (or given) data directory and a port the kernel picks. */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`))
  const { proc, port, stderr: readStderr } = await spawnServerProcess({ dataDir, port: 0, env: options.env })
  const stderr = () => readStderr()
  const url = `http://127.0.0.1:${port}`
  const server: TestServer = {
    url,
    wsUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
    port,
    dataDir,
    proc,
    stderr,
    async stop() {
      const done = exited(proc)
      if (proc.exitCode !== null || proc.signalCode !== null) return
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS)
      const { code, signal } = await done
      clearTimeout(timer)
      if (code !== 0) throw new Error(`server exited with code ${code} (signal ${signal}) on SIGTERM; stderr:\n${stderr()}`)
    },
    async kill9() {
      const done = exited(proc)
      proc.kill('SIGKILL')
      await done
    },
    async restart() {
      if (proc.exitCode === null && proc.signalCode === null) await server.stop()
      return startServer({ ...options, dataDir })
    },
  }
  return server
}

/** A board made by createBoard: its metadata and the key of each role's link. */
export interface CreatedBoard extends BoardMeta {
  keys: Record<Role, string>
}

/** Keys of the boards this test process created, so clients can present one by role. */
const createdKeys = new Map<string, Record<Role, string>>()

/**
 * Creates a board through the API (as a facilitator would) and returns its metadata and keys;
 * `creationCode` for a server started with BOARD_CREATION_CODE.
 */
export async function createBoard(
  url: string,
  title = 'Test board',
  language: Language = 'en',
  template?: string,
  opts: { creationCode?: string } = {},
): Promise<CreatedBoard> {
  const res = await fetch(`${url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.creationCode === undefined ? {} : { [BOARD_CREATION_CODE_HEADER]: opts.creationCode }) },
    body: JSON.stringify({ title, language, template }),
  })
  if (res.status !== 201) throw new Error(`POST /api/boards answered ${res.status}: ${await res.text()}`)
  const created = (await res.json()) as BoardAccess
  const keys = created.keys as Record<Role, string>
  createdKeys.set(created.board.id, keys)
  return { ...created.board, keys }
}

/**
 * The sync URL of a board for a raw websocket: with the key of `role` (default
 * participant) of a board made by createBoard, or `key` (null: none).
 */
export function syncUrl(wsUrl: string, boardId: string, opts: { role?: Role; key?: string | null; protocol?: number } = {}): string {
  const key = opts.key !== undefined ? opts.key : (createdKeys.get(boardId)?.[opts.role ?? 'participant'] ?? null)
  const query = new URLSearchParams()
  if (key !== null) query.set(KEY_PARAM, key)
  if (opts.protocol !== undefined) query.set(PROTOCOL_PARAM, String(opts.protocol))
  const search = query.toString()
  return `${wsUrl}/${boardId}${search ? `?${search}` : ''}`
}

/** The page address of a board's link for `role` (default participant), as people receive it. */
export function boardLink(url: string, board: CreatedBoard, role: Role = 'participant'): string {
  return `${url}${boardLinkPath(board.id, board.keys[role])}`
}

/** `Authorization` header for a board key. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` }
}

/** Polls `check` until it returns a truthy value; rejects with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** GET /healthz. */
export async function health(url: string): Promise<{ ok: boolean; rooms: number; connections: number; uptimeSeconds: number }> {
  const res = await fetch(`${url}/healthz`)
  return (await res.json()) as { ok: boolean; rooms: number; connections: number; uptimeSeconds: number }
}

/** A stock y-websocket client connected to one board. */
export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves once the first sync with the server completed. */
  synced: Promise<void>
  /** Resolves with the close event once the server closes the connection with a 4xxx code. */
  closed: Promise<{ code: number; reason: string }>
  destroy(): void
}

/** Connects a stock WebsocketProvider (no BroadcastChannel, so every byte goes through the server). */
export function connectClient(
  wsUrl: string,
  boardId: string,
  opts: {
    doc?: Y.Doc
    connect?: boolean
    maxBackoffTime?: number
    params?: Record<string, string>
    /** The link key to present; null for none. Default: the key of `role` of a board made by createBoard. */
    key?: string | null
    /** Default participant. */
    role?: Role
  } = {},
): TestClient {
  const doc = opts.doc ?? new Y.Doc()
  const key = opts.key !== undefined ? opts.key : (createdKeys.get(boardId)?.[opts.role ?? 'participant'] ?? null)
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: opts.maxBackoffTime ?? 500,
    params: { ...(key === null ? {} : { [KEY_PARAM]: key }), ...opts.params },
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.on('sync', (isSynced: boolean) => isSynced && resolve())
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on('connection-close', (event) => {
      if (event && event.code >= 4000) resolve({ code: event.code, reason: event.reason })
    })
  })
  return {
    doc,
    provider,
    synced,
    closed,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}
