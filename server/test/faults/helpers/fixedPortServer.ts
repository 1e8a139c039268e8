/**
 * A real server process on a port chosen up front, so it can be restarted on
 * the SAME port: stock providers then find it again through their own
 * reconnect loop, as browsers do after an operator restarts the service.
 * (test-utils' startServer always asks for port 0, so a restart moves it.)
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SYNC_PATH } from '../../../../shared/protocol'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const ENTRY = path.join(REPO_ROOT, 'server/src/main.ts')
const STARTUP_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 10_000

/** A server process bound to a fixed port of 127.0.0.1. */
export interface FixedPortServer {
  url: string
  wsUrl: string
  port: number
  dataDir: string
  proc: ChildProcess
  stderr(): string
  /** SIGTERM; resolves with the exit code (the caller decides whether non-zero is a failure). */
  stop(): Promise<number | null>
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>
  /** A new process on the same data directory and port (stops this one first if still running). */
  restart(extraEnv?: Record<string, string>): Promise<FixedPortServer>
}

/** A port that was free a moment ago (the kernel picks it; we release it at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode })
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
}

/** Options: a data directory to reuse, a port (default: a free one), extra environment. */
export interface FixedPortOptions {
  dataDir?: string
  port?: number
  env?: Record<string, string>
}

/** Spawns `node --import tsx server/src/main.ts` on a fixed port and waits for its listening line. */
export async function startFixedPortServer(options: FixedPortOptions = {}): Promise<FixedPortServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `whiteboard-test-${process.pid}-`))
  const port = options.port ?? (await freePort())
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(proc)
  proc.once('exit', () => live.delete(proc))
  let stderr = ''
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-200_000)
  })
  await new Promise<void>((resolve, reject) => {
    let stdout = ''
    let done = false
    const fail = (why: string) => {
      if (done) return
      done = true
      clearTimeout(timer)
      proc.kill('SIGKILL')
      reject(new Error(`server on port ${port} ${why}; stderr:\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`did not listen within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS)
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!done && stdout.includes(`listening on http://127.0.0.1:${port}`)) {
        done = true
        clearTimeout(timer)
        resolve()
      }
    })
    proc.once('close', (code, signal) => fail(`exited before listening (code ${code}, signal ${signal})`))
  })

  const server: FixedPortServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
    port,
    dataDir,
    proc,
    stderr: () => stderr,
    async stop() {
      const done = exited(proc)
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS)
      const { code } = await done
      clearTimeout(timer)
      return code
    },
    async kill9() {
      const done = exited(proc)
      proc.kill('SIGKILL')
      await done
    },
    async restart(extraEnv = {}) {
      if (proc.exitCode === null && proc.signalCode === null) await server.stop()
      return startFixedPortServer({ dataDir, port, env: { ...options.env, ...extraEnv } })
    },
  }
  return server
}
