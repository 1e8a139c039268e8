/**
 * A small log-bucketed latency histogram: 2% relative resolution from 0.01 ms
 * to ~10 minutes, mergeable across worker threads (plain arrays survive
 * postMessage). Percentiles report the bucket's upper bound, so they may
 * overstate a value by at most 2%; `max` and `mean` are exact.
 */
const BASE = 1.02
const MIN = 0.01
const LOG_BASE = Math.log(BASE)
const BUCKETS = 1200

export interface Hist {
  counts: number[]
  n: number
  sum: number
  max: number
  min: number
}

export function newHist(): Hist {
  return { counts: new Array(BUCKETS).fill(0), n: 0, sum: 0, max: 0, min: Infinity }
}

export function record(h: Hist, ms: number): void {
  const v = ms < 0 ? 0 : ms
  let i = v <= MIN ? 0 : Math.ceil(Math.log(v / MIN) / LOG_BASE)
  if (i >= BUCKETS) i = BUCKETS - 1
  h.counts[i]++
  h.n++
  h.sum += v
  if (v > h.max) h.max = v
  if (v < h.min) h.min = v
}

export function merge(into: Hist, from: Hist): Hist {
  for (let i = 0; i < BUCKETS; i++) into.counts[i] += from.counts[i] ?? 0
  into.n += from.n
  into.sum += from.sum
  into.max = Math.max(into.max, from.max)
  into.min = Math.min(into.min, from.min)
  return into
}

/** `later - earlier` for two snapshots of one growing histogram (max/min are the later's). */
export function diff(later: Hist, earlier: Hist): Hist {
  const out = newHist()
  for (let i = 0; i < BUCKETS; i++) out.counts[i] = (later.counts[i] ?? 0) - (earlier.counts[i] ?? 0)
  out.n = later.n - earlier.n
  out.sum = later.sum - earlier.sum
  out.max = later.max
  out.min = later.min
  return out
}

export function quantile(h: Hist, q: number): number | null {
  if (h.n === 0) return null
  const target = Math.ceil(q * h.n)
  let seen = 0
  for (let i = 0; i < BUCKETS; i++) {
    seen += h.counts[i]
    if (seen >= target) return Math.min(MIN * Math.pow(BASE, i), h.max)
  }
  return h.max
}

export interface Summary {
  n: number
  p50: number | null
  p95: number | null
  p99: number | null
  max: number | null
  mean: number | null
}

const r2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100)

export function summarize(h: Hist): Summary {
  return {
    n: h.n,
    p50: r2(quantile(h, 0.5)),
    p95: r2(quantile(h, 0.95)),
    p99: r2(quantile(h, 0.99)),
    max: h.n ? r2(h.max) : null,
    mean: h.n ? r2(h.sum / h.n) : null,
  }
}

/** Exact summary of a small list of samples (cold load repetitions). */
export function summarizeSamples(samples: number[]): Summary {
  if (samples.length === 0) return { n: 0, p50: null, p95: null, p99: null, max: null, mean: null }
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? null
  return {
    n: s.length,
    p50: r2(at(0.5)),
    p95: r2(at(0.95)),
    p99: r2(at(0.99)),
    max: r2(s[s.length - 1] ?? null),
    mean: r2(s.reduce((a, b) => a + b, 0) / s.length),
  }
}

/** Monotonic milliseconds shared by every thread and process on this host (CLOCK_MONOTONIC). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}
