// Bench-only instrumentation preloaded into a server process under test
// (`node --import bench/lib/sqliteProbe.mjs --import tsx server/src/main.ts`)
// when BENCH_PROBE_OUT is set. It edits no server code. For every server it
// records the event-loop delay (perf_hooks.monitorEventLoopDelay) and
// process.memoryUsage(). With BENCH_PROBE_SQLITE=1 (ours only) it also wraps
// better-sqlite3's Database#transaction and Statement#run so that every
// transaction (or bare statement) that inserts into the `updates` table, the
// board update log, is timed from call to commit (with SQLITE_SYNCHRONOUS=FULL
// that includes the fsync). The histogram (same bucketing as bench/lib/hist.ts)
// is written to BENCH_PROBE_OUT as JSON every 250 ms and at exit; the bench
// diffs two snapshots to get the distribution inside a measurement window.
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const out = process.env.BENCH_PROBE_OUT
if (out) {
  const eld = monitorEventLoopDelay({ resolution: 5 })
  eld.enable()
  const BASE = 1.02
  const MIN = 0.01
  const BUCKETS = 1200
  const hist = { counts: new Array(BUCKETS).fill(0), n: 0, sum: 0, max: 0, min: Infinity, bytes: 0 }
  const record = (ms) => {
    let i = ms <= MIN ? 0 : Math.ceil(Math.log(ms / MIN) / Math.log(BASE))
    if (i >= BUCKETS) i = BUCKETS - 1
    hist.counts[i]++
    hist.n++
    hist.sum += ms
    if (ms > hist.max) hist.max = ms
    if (ms < hist.min) hist.min = ms
  }
  if (process.env.BENCH_PROBE_SQLITE === '1') instrumentSqlite()
  function instrumentSqlite() {
  const require = createRequire(process.cwd() + '/package.json')
  const Database = require('better-sqlite3')
  const isLogInsert = (sql) => typeof sql === 'string' && /insert\s+into\s+updates\b/i.test(sql)
  let depth = 0
  let sawInsert = false
  const Statement = new Database(':memory:').prepare('select 1').constructor
  const origRun = Statement.prototype.run
  Statement.prototype.run = function (...args) {
    if (!isLogInsert(this.source)) return origRun.apply(this, args)
    if (depth > 0) {
      sawInsert = true
      return origRun.apply(this, args)
    }
    const t0 = process.hrtime.bigint()
    try {
      return origRun.apply(this, args)
    } finally {
      record(Number(process.hrtime.bigint() - t0) / 1e6)
    }
  }
  const origTx = Database.prototype.transaction
  Database.prototype.transaction = function (fn) {
    const tx = origTx.call(this, fn)
    const wrap = (variant) =>
      function (...args) {
        if (depth > 0) return variant.apply(this, args)
        depth++
        sawInsert = false
        const t0 = process.hrtime.bigint()
        try {
          return variant.apply(this, args)
        } finally {
          depth--
          if (sawInsert) record(Number(process.hrtime.bigint() - t0) / 1e6)
          sawInsert = false
        }
      }
    const timed = wrap(tx)
    for (const k of ['default', 'deferred', 'immediate', 'exclusive']) if (tx[k]) timed[k] = wrap(tx[k])
    return timed
  }
  }
  // The bench resets the event-loop histogram by touching BENCH_PROBE_OUT + '.reset'.
  let lastReset = 0
  const flush = () => {
    try {
      const m = process.memoryUsage()
      writeFileSync(
        out,
        JSON.stringify({
          ...hist,
          min: hist.n ? hist.min : 0,
          at: Date.now(),
          eventLoopDelayMs: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6, since: lastReset },
          memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers },
          afterGc,
        }),
      )
    } catch {}
    try {
      const t = Number(readFileSync(out + '.reset', 'utf8'))
      if (t > lastReset) {
        lastReset = t
        eld.reset()
      }
    } catch {}
    // Memory diagnosis only (bench capacity workload, server started with
    // --expose-gc): touching BENCH_PROBE_OUT + '.gc' runs a full GC once and
    // records memory after it, to tell retained objects from unreturned pages.
    try {
      const t = Number(readFileSync(out + '.gc', 'utf8'))
      if (t > lastGc && typeof globalThis.gc === 'function') {
        lastGc = t
        globalThis.gc()
        const m = process.memoryUsage()
        afterGc = { at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }
      }
    } catch {}
  }
  let lastGc = 0
  let afterGc = null
  setInterval(flush, 250).unref()
  process.on('exit', flush)
}
