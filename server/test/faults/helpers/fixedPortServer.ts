/**
 * A real server process on a port chosen up front, so it can be restarted on
 * the SAME port: stock providers then find it again through their own
 * reconnect loop, as browsers do after an operator restarts the service.
 * (test-utils' startServer always asks for port 0, so a restart moves it.)
 * Spawning and waiting for the listening line is test-utils' spawnServerProcess.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { SYNC_PATH } from '../../../../shared/protocol'
import { exited, spawnServerProcess } from '../../../test-utils/startServer'

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

/** Options: a data directory to reuse, a port (default: a free one), extra environment. */
export interface FixedPortOptions {
  dataDir?: string
  port?: number
  env?: Record<string, string>
}

/** Starts a server process on a fixed port (default: a free one) and waits for its listening line. */
export async function startFixedPortServer(options: FixedPortOptions = {}): Promise<FixedPortServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `whiteboard-test-${process.pid}-`))
  const { proc, port, stderr } = await spawnServerProcess({ dataDir, port: options.port ?? (await freePort()), env: options.env })

  const server: FixedPortServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
    port,
    dataDir,
    proc,
    stderr,
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
