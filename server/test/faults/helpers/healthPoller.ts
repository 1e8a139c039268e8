/**
 * Polls GET /healthz from a separate process, so what it measures is the
 * server's answer time and not the test process's own event loop, which is
 * busy driving hundreds of clients.
 */
import { spawn, type ChildProcess } from 'node:child_process'

/** One poll: when it was sent (epoch ms), how long the answer took, and whether it was a 200. */
export interface HealthSample {
  at: number
  ms: number
  ok: boolean
  error?: string
}

const SCRIPT = `
const url = process.argv[1], every = Number(process.argv[2])
let stopping = false
process.on('SIGTERM', () => { stopping = true })
;(async () => {
  while (!stopping) {
    const at = Date.now(), start = performance.now()
    let ok = false, error
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000), cache: 'no-store' })
      await res.json()
      ok = res.status === 200
    } catch (e) { error = String(e) }
    process.stdout.write(JSON.stringify({ at, ms: Math.round(performance.now() - start), ok, error }) + '\\n')
    await new Promise((r) => setTimeout(r, every))
  }
  process.exit(0)
})()
`

// A test that fails before stop() must not leave a poller running.
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** Starts polling `url` every `everyMs`; stop() ends it and returns every sample. */
export function pollHealth(url: string, everyMs = 50): { stop(): Promise<HealthSample[]> } {
  const child = spawn(process.execPath, ['-e', SCRIPT, `${url}/healthz`, String(everyMs)], { stdio: ['ignore', 'pipe', 'inherit'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 7000)
      await exited
      clearTimeout(timer)
      return out
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as HealthSample)
    },
  }
}
