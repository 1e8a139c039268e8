/**
 * CPU and memory accounting from /proc (Linux only):
 *  - host CPU: /proc/stat aggregate line
 *  - a process' CPU: utime+stime from /proc/<pid>/stat (all its threads)
 *  - a process' RSS: VmRSS from /proc/<pid>/status
 * The generator is this process (main thread + worker threads), so its CPU is
 * /proc/self/stat.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'

const CLK_TCK = 100 // USER_HZ on Linux; /proc times are in these ticks

export interface HostCpu {
  busy: number
  total: number
}

export function readHostCpu(): HostCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const f = line.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal
    const idle = (f[3] ?? 0) + (f[4] ?? 0)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
    return { busy: total - idle, total }
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
}

/** Samples host, server and generator CPU over a window; RSS every second. */
export class CpuMeter {
  private host0 = readHostCpu()
  private srv0: number | null
  private gen0 = readProcCpuSeconds('self')
  private t0 = performance.now()
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
    return {
      seconds: Math.round(seconds * 10) / 10,
      hostCpuPct,
      serverCpuPct: pct(this.srv0, srv1),
      generatorCpuPct: pct(this.gen0, gen1),
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
