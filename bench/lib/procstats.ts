/**
 * CPU and memory accounting from /proc (Linux only):
 *  - host CPU: /proc/stat aggregate line
 *  - a process' CPU: utime+stime from /proc/<pid>/stat (all its threads)
 *  - a process' RSS: VmRSS from /proc/<pid>/status
 * The generator is this process (main thread + worker threads), so its CPU is
 * /proc/self/stat.
 */
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

const CLK_TCK = 100 // USER_HZ on Linux; /proc times are in these ticks

export interface HostCpu {
  busy: number
  total: number
  softirq: number
  steal: number
}

export function readHostCpu(): HostCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const f = line.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal
    const idle = (f[3] ?? 0) + (f[4] ?? 0)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
    return { busy: total - idle, total, softirq: f[6] ?? 0, steal: f[7] ?? 0 }
  } catch {
    return null
  }
}

/** CPU seconds used so far by a process (user + system), or null if it is gone. */
export function readProcCpuSeconds(pid: number | 'self'): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ')
    // fields after ')' start at field 3 (state); utime=14, stime=15 -> index 11, 12
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK
  } catch {
    return null
  }
}

export function readRssBytes(pid: number | 'self'): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(s)
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}

/** utime+stime ticks and name of every process, to find who else used the CPU. */
function readAllProcs(): Map<number, { ticks: number; comm: string }> {
  const out = new Map<number, { ticks: number; comm: string }>()
  let entries: string[] = []
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return out
  }
  for (const e of entries.slice(0, 5000)) {
    try {
      const s = readFileSync(`/proc/${e}/stat`, 'utf8')
      const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'))
      const rest = s.slice(s.lastIndexOf(')') + 2).split(' ')
      out.set(Number(e), { ticks: Number(rest[11]) + Number(rest[12]), comm })
    } catch {}
  }
  return out
}

export interface CpuWindow {
  seconds: number
  /** Host CPU busy, % of all cores (100 = every core busy). */
  hostCpuPct: number | null
  /** Server process CPU, % of one core. */
  serverCpuPct: number | null
  /** Generator (this process, all threads) CPU, % of one core. */
  generatorCpuPct: number | null
  serverRssMaxBytes: number | null
  serverRssEndBytes: number | null
  /** Host CPU not attributed to the server or generator processes, % of one core: softirq (loopback networking), other processes. */
  otherCpuPct: number | null
  /** Host softirq and steal time, % of one core. */
  softirqPct: number | null
  stealPct: number | null
  /** The busiest other processes in the window (name: % of one core). */
  topOtherProcesses: string[]
}

/** Samples host, server and generator CPU over a window; RSS every second. */
export class CpuMeter {
  private host0 = readHostCpu()
  private srv0: number | null
  private gen0 = readProcCpuSeconds('self')
  private t0 = performance.now()
  private procs0 = readAllProcs()
  private rssMax: number | null = null
  private timer: NodeJS.Timeout

  constructor(private serverPid: number) {
    this.srv0 = readProcCpuSeconds(serverPid)
    this.sampleRss()
    this.timer = setInterval(() => this.sampleRss(), 1000)
    this.timer.unref()
  }

  private sampleRss(): number | null {
    const rss = readRssBytes(this.serverPid)
    if (rss !== null) this.rssMax = Math.max(this.rssMax ?? 0, rss)
    return rss
  }

  stop(): CpuWindow {
    clearInterval(this.timer)
    const seconds = (performance.now() - this.t0) / 1000
    const host1 = readHostCpu()
    const srv1 = readProcCpuSeconds(this.serverPid)
    const gen1 = readProcCpuSeconds('self')
    const rssEnd = this.sampleRss()
    const pct = (a: number | null, b: number | null) =>
      a === null || b === null || seconds <= 0 ? null : Math.round(((b - a) / seconds) * 1000) / 10
    let hostCpuPct: number | null = null
    if (this.host0 && host1 && host1.total > this.host0.total) {
      hostCpuPct = Math.round(((host1.busy - this.host0.busy) / (host1.total - this.host0.total)) * 1000) / 10
    }
    const serverCpuPct = pct(this.srv0, srv1)
    const generatorCpuPct = pct(this.gen0, gen1)
    const otherCpuPct =
      hostCpuPct === null || serverCpuPct === null || generatorCpuPct === null
        ? null
        : Math.max(0, Math.round((hostCpuPct * os.cpus().length - serverCpuPct - generatorCpuPct) * 10) / 10)
    const procs1 = readAllProcs()
    const self = process.pid
    const others: { comm: string; pct: number }[] = []
    for (const [pid, p1] of procs1) {
      if (pid === self || pid === this.serverPid) continue
      const p0 = this.procs0.get(pid)
      const d = p1.ticks - (p0?.ticks ?? 0)
      if (d > 0 && seconds > 0) others.push({ comm: `${p1.comm}[${pid}]`, pct: Math.round((d / CLK_TCK / seconds) * 1000) / 10 })
    }
    others.sort((a, b) => b.pct - a.pct)
    const ticksPct = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined || seconds <= 0 ? null : Math.round(((b - a) / CLK_TCK / seconds) * 1000) / 10
    return {
      seconds: Math.round(seconds * 10) / 10,
      hostCpuPct,
      serverCpuPct,
      generatorCpuPct,
      otherCpuPct,
      softirqPct: ticksPct(this.host0?.softirq, host1?.softirq),
      stealPct: ticksPct(this.host0?.steal, host1?.steal),
      topOtherProcesses: others.filter((o) => o.pct >= 1).slice(0, 3).map((o) => `${o.comm}: ${o.pct}%`),
      serverRssMaxBytes: this.rssMax,
      serverRssEndBytes: rssEnd,
    }
  }
}

export function machineDescription(): Record<string, unknown> {
  let cpuModel = 'unknown'
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m) cpuModel = m[1]!.trim()
  } catch {}
  let osName = `${os.type()} ${os.release()}`
  try {
    const m = /PRETTY_NAME="([^"]*)"/.exec(readFileSync('/etc/os-release', 'utf8'))
    if (m) osName = `${m[1]} (kernel ${os.release()})`
  } catch {}
  return {
    cpuModel,
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: osName,
  }
}

/**
 * Before a measurement, waits (bounded) until the host is quiet: the machine is
 * shared, and another process' burst would land in our numbers. Returns how
 * long it waited and the host CPU % over the last second sampled.
 */
export async function waitForQuiet(maxMs: number, thresholdPct = 25): Promise<{ waitedMs: number; hostBusyPct: number | null; quiet: boolean }> {
  const t0 = Date.now()
  let last: number | null = null
  for (let i = 0; i < 600 && Date.now() - t0 < maxMs; i++) {
    const a = readHostCpu()
    await new Promise((r) => setTimeout(r, 1000))
    const b = readHostCpu()
    if (!a || !b || b.total <= a.total) return { waitedMs: Date.now() - t0, hostBusyPct: null, quiet: false }
    last = Math.round(((b.busy - a.busy) / (b.total - a.total)) * 1000) / 10
    if (last < thresholdPct) return { waitedMs: Date.now() - t0, hostBusyPct: last, quiet: true }
  }
  return { waitedMs: Date.now() - t0, hostBusyPct: last, quiet: false }
}
