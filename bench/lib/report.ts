/** Target evaluation and the markdown report (docs/benchmarks.md). */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Receivers, WorkshopRow } from '../workloads/workshop'
import type { CapacityResult } from '../workloads/capacity'
import type { ColdRow } from '../workloads/coldLoad'
import type { PersistenceEvidence } from '../workloads/persistence'
import type { Summary } from './hist'
import { GENERATOR_STALL_MS, type WindowResult } from './generator'

export interface Results {
  quick: boolean
  startedAt: string
  finishedAt: string
  git: { commit: string; dirty: boolean }
  machine: Record<string, unknown>
  generator: { workers: number; note: string }
  config: Record<string, any>
  servers: string[]
  workshop: WorkshopRow[]
  capacity: CapacityResult[]
  cold: ColdRow[]
  persistence: PersistenceEvidence | null
  quietChecks?: { before: string; waitedMs: number; hostBusyPct: number | null; quiet: boolean }[]
  notes: string[]
}

export interface Target {
  name: string
  /** inconclusive: missed, but the generator or the machine (not the server) was the limit in that measurement. */
  status: 'pass' | 'fail' | 'inconclusive' | 'not measured'
  detail: string
}

const MB = 1024 * 1024
const fmt = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || Number.isNaN(v) ? 'n/a' : Number(v.toFixed(digits)).toString()
const mb = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : (v / MB).toFixed(0))
export const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100

/** Limits that make a miss the generator's / machine's rather than the server's. */
function generatorLimited(x: WindowResult | null | undefined): boolean {
  if (!x) return false
  return x.limits.some((l) => /^generator|machine saturated/.test(l))
}
const verdict = (ok: boolean, x: WindowResult | null | undefined): Target['status'] => (ok ? 'pass' : generatorLimited(x) ? 'inconclusive' : 'fail')

/** A workshop row; `receivers` 'active' picks the run where only active clients read (see workshop.ts). */
function row(r: Results, kind: string, n: number, receivers: Receivers = 'all'): WorkshopRow | undefined {
  return r.workshop.find((w) => w.server === kind && w.n === n && (w.receivers ?? 'all') === receivers)
}
const receiversLabel = (w: WorkshopRow) => ((w.receivers ?? 'all') === 'all' ? `${w.n}` : `${w.n}, active read`)

export function evaluateTargets(r: Results): Target[] {
  const t: Target[] = []
  const ns = [...new Set(r.workshop.filter((w) => (w.receivers ?? 'all') === 'all').map((w) => w.n))].sort((a, b) => a - b)
  const maxN = ns.at(-1)
  const hasOurs = r.servers.includes('ours')
  const nm = (name: string, detail: string): Target => ({ name, status: 'not measured', detail })
  // Where every client reading saturated the generator, the run in which only the active clients read decides.
  const stockOurs = maxN !== undefined ? row(r, 'ours', maxN) : undefined
  const sampledOurs = maxN !== undefined ? row(r, 'ours', maxN, 'active') : undefined
  const useSampled = !!sampledOurs?.result && generatorLimited(stockOurs?.result) && !generatorLimited(sampledOurs.result)
  const ours = useSampled ? sampledOurs : stockOurs
  const sampledNote = useSampled
    ? ` (from the run where only the ${sampledOurs!.active} active clients read: with all ${maxN} reading, the generator saturated: ${stockOurs!.result!.limits.join('; ')}; there awareness p99 ${fmt(stockOurs!.result!.awareness.p99)} ms, edits p99 ${fmt(stockOurs!.result!.edits.p99)} ms)`
    : ''
  const n200 = maxN === 200 ? '' : ` (largest N run was ${maxN ?? 'none'}, target is stated for N=200)`
  if (!hasOurs || !ours?.result) {
    t.push(nm('N=200 p99 fan-out <= 50 ms (awareness and edits)', hasOurs ? `no result: ${ours?.error ?? 'not run'}` : 'our server was not run'))
    t.push(nm('N=200 no dropped connection', 'our server was not run or failed'))
  } else {
    const a = ours.result.awareness.p99
    const e = ours.result.edits.p99
    const ok = a !== null && e !== null && a <= 50 && e <= 50
    const lim = generatorLimited(ours.result) ? ` [${ours.result.limits.join('; ')}]` : ''
    // a smaller N (e.g. --quick) says nothing about N=200: report it, but not as a verdict
    const at200 = (maxN ?? 0) >= 200
    t.push({ name: 'N=200 p99 fan-out <= 50 ms (awareness and edits)', status: at200 ? verdict(ok, ours.result) : 'not measured', detail: `ours N=${maxN}: awareness p99 ${fmt(a)} ms, edits p99 ${fmt(e)} ms${sampledNote}${n200}${lim}` })
    const drops = ours.result.droppedSinceConnect + ours.connect.failed
    t.push({ name: 'N=200 no dropped connection', status: !at200 ? 'not measured' : drops === 0 ? 'pass' : 'fail', detail: `ours N=${maxN}: ${ours.result.droppedSinceConnect} connection losses, ${ours.connect.failed} failed connects${n200}` })
  }
  // ours <= reference: the target is stated for N=200 (the same run as above); every N is listed, since
  // below it batching (which the issue asks for) can cost ours a few ms against the unbatched reference.
  const le = (x: number | null, y: number | null) => x !== null && (y === null || x <= y)
  const cmp: string[] = []
  for (const w of r.workshop.filter((x) => x.server === 'ours').sort((a, b) => a.n - b.n)) {
    const o = w.result
    const f = row(r, 'reference', w.n, w.receivers)?.result
    if (!o || !f) continue
    const gl = generatorLimited(o) || generatorLimited(f) ? ' (generator- or machine-limited)' : ''
    const above = le(o.awareness.p99, f.awareness.p99) && le(o.edits.p99, f.edits.p99) ? '' : ' [ours above]'
    cmp.push(`N=${receiversLabel(w)}: aw ${fmt(o.awareness.p99)} vs ${fmt(f.awareness.p99)}, edit ${fmt(o.edits.p99)} vs ${fmt(f.edits.p99)}${gl}${above}`)
  }
  const refAt200 = ours && maxN !== undefined ? row(r, 'reference', maxN, ours.receivers)?.result : undefined
  if (ours?.result && refAt200 && (maxN ?? 0) >= 200) {
    const ok = le(ours.result.awareness.p99, refAt200.awareness.p99) && le(ours.result.edits.p99, refAt200.edits.p99)
    t.push({ name: 'N=200 our p99 <= reference p99 (both kinds)', status: ok ? 'pass' : 'fail', detail: `N=${receiversLabel(ours)} is the run judged; every run: ${cmp.join('; ')}` })
  } else t.push(nm('N=200 our p99 <= reference p99 (both kinds)', cmp.length ? `not run at N=200 with both servers; ${cmp.join('; ')}` : 'needs both servers'))
  // bounded awareness frames
  const oursRows = ns.map((n) => row(r, 'ours', n)).filter((w): w is WorkshopRow => !!w?.result)
  if (oursRows.length >= 2) {
    const first = oursRows[0]!.result!.awareness.framesPerClientPerSec
    const last = oursRows.at(-1)!.result!.awareness.framesPerClientPerSec
    const ok = last <= Math.max(first * 1.5, first + 5)
    t.push({
      name: 'bounded awareness frames/s per client regardless of N',
      status: ok ? 'pass' : 'fail',
      detail: oursRows.map((w) => `N=${w.n}: ${w.result!.awareness.framesPerClientPerSec}`).join(', ') + ' frames/s per client (pass if the largest N receives at most 1.5x the smallest N)',
    })
  } else t.push(nm('bounded awareness frames/s per client regardless of N', 'needs our server at two or more N'))
  // capacity
  const cap = r.capacity.find((c) => c.server === 'ours')
  if (cap && cap.steps.length) {
    const held = cap.maxRoomsUnderLimit ?? 0
    const last = cap.steps.at(-1)?.result
    const lim = held < 500 && generatorLimited(last) ? ` [last step: ${last!.limits.join('; ')}]` : ''
    const inc = cap.inconclusiveSteps?.length ? `; over the limit while other processes shared the CPU or the generator stalled: ${cap.inconclusiveSteps.join(', ')} rooms` : ''
    const status: Target['status'] = held >= 500 ? 'pass' : generatorLimited(last) || inc ? 'inconclusive' : 'fail'
    t.push({ name: 'capacity >= 500 rooms x 5 clients with p99 edit < 100 ms', status, detail: `ours held ${held} rooms (${held * 5} connections) under the limit; ${cap.stoppedBecause}${inc}${lim}` })
    const m = cap.memory
    if (m.startRssBytes && m.afterGraceRssBytes) {
      const growth = m.afterGraceRssBytes / m.startRssBytes - 1
      t.push({
        name: 'memory returns within 10% of start-up RSS after the rooms (500 or more) empty + grace',
        status: growth <= 0.1 ? 'pass' : 'fail',
        detail: `start ${mb(m.startRssBytes)} MB, with ${m.peakRooms} rooms ${mb(m.peakRssBytes)} MB, after grace ${mb(m.afterGraceRssBytes)} MB (${growth >= 0 ? '+' : '−'}${Math.abs(growth * 100).toFixed(0)}%), rooms after grace: ${m.roomsAfterGrace ?? 'n/a'}` +
          `; V8 heap used ${mb(m.startHeapUsedBytes)} → ${mb(m.peakHeapUsedBytes)} → ${mb(m.afterGraceHeapUsedBytes)} MB; after one forced GC (diagnosis) RSS ${mb(m.afterForcedGcRssBytes)} MB, heap used ${mb(m.afterForcedGcHeapUsedBytes)} MB` +
          (m.afterForcedGc ? ` of ${mb(m.afterForcedGc.heapTotal)} MB heap total, external ${mb(m.afterForcedGc.external)} MB (array buffers ${mb(m.afterForcedGc.arrayBuffers)} MB)` : '') +
          (m.peakRooms < 500 ? ` (only ${m.peakRooms} rooms were reached, target is stated for 500)` : ''),
      })
    } else t.push(nm('memory returns within 10% of start-up RSS', 'RSS not readable'))
  } else {
    t.push(nm('capacity >= 500 rooms x 5 clients with p99 edit < 100 ms', cap?.error ?? 'not run on our server'))
    t.push(nm('memory returns within 10% of start-up RSS', 'capacity workload not run on our server'))
  }
  // cold load
  const c5 = r.cold.find((c) => c.server === 'ours' && c.notes === 5000)
  if (c5 && c5.syncedMs.n > 0) {
    t.push({
      name: 'cold load of 5,000 notes < 300 ms (connect to synced, median)',
      status: (c5.syncedMs.p50 ?? Infinity) < 300 ? 'pass' : 'fail',
      detail: `ours median ${fmt(c5.syncedMs.p50)} ms, max ${fmt(c5.syncedMs.max)} ms over ${c5.syncedMs.n} loads, from disk: ${c5.fromDisk}`,
    })
  } else t.push(nm('cold load of 5,000 notes < 300 ms', c5?.error ?? 'not run on our server with 5,000 notes'))
  // update log
  const wRow = maxN !== undefined ? row(r, 'ours', maxN)?.result : undefined
  const w = wRow?.updateLogWrite
  if (w && w.n > 0) {
    const others = ns
      .filter((n) => n !== maxN)
      .map((n) => row(r, 'ours', n)?.result?.updateLogWrite)
      .map((x, i) => (x ? `N=${ns[i]}: p99 ${fmt(x.p99, 2)} ms` : null))
      .filter(Boolean)
    t.push({
      name: 'update-log p99 write < 5 ms (under workload 1)',
      status: verdict((w.p99 ?? Infinity) < 5, wRow),
      detail:
        `ours N=${maxN}: ${w.n} appends, p50 ${fmt(w.p50, 2)} ms, p99 ${fmt(w.p99, 2)} ms, max ${fmt(w.max, 2)} ms (timed inside the server by the bench probe)` +
        (others.length ? `; ${others.join(', ')}` : '') +
        (generatorLimited(wRow) ? ` [that window: ${wRow!.limits.join('; ')}]` : ''),
    })
  } else t.push(nm('update-log p99 write < 5 ms', 'no update-log writes were observed by the probe (our server not run, or it does not append to an `updates` table through better-sqlite3)'))
  return t
}

const sum = (s: Summary) => `${fmt(s.p50)} / ${fmt(s.p95)} / ${fmt(s.p99)} / ${fmt(s.max)}`
const mark = (ok: boolean | null) => (ok === null ? '–' : ok ? 'pass' : 'FAIL')

export function renderMarkdown(r: Results & { targets: Target[] }): string {
  const L: string[] = []
  const m = r.machine as Record<string, string | number>
  const ns = [...new Set(r.workshop.filter((w) => (w.receivers ?? 'all') === 'all').map((w) => w.n))].sort((a, b) => a - b)
  const workshopRows = [...r.workshop].sort((a, b) => (a.receivers ?? 'all').localeCompare(b.receivers ?? 'all') || a.n - b.n)
  L.push('# Benchmarks')
  L.push('')
  L.push('Generated by `npm run bench` (bench/run.ts); do not edit by hand — rerun it. Raw numbers: `bench/results/latest.json`.')
  L.push('')
  L.push(`- Date: ${r.startedAt} → ${r.finishedAt}${r.quick ? ' (**--quick smoke run**, short windows and small N)' : ''}`)
  L.push(`- Git commit: \`${r.git.commit}\`${r.git.dirty ? ' (server/ or shared/ had uncommitted changes while measuring)' : ''}`)
  L.push(`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node}`)
  L.push(`- Servers: ${r.servers.map((s) => (s === 'ours' ? '**ours** (`server/src/main.ts`, SQLite persistence)' : '**reference** (stock `@y/websocket-server` 0.1.1 `setupWSConnection`, no persistence; `bench/referenceServer.ts`)')).join(' vs ')}`)
  L.push(`- Generator: ${r.generator.workers} worker thread(s) of stock \`y-websocket\` \`WebsocketProvider\` clients in one Node process; the server under test gets the remaining core.`)
  L.push('')
  L.push('Absolute numbers on a shared 2-core machine are noisy; compare **ratios ours/reference** from the same run.')
  L.push('')
  L.push('## Targets')
  L.push('')
  L.push('| target | result | detail |')
  L.push('|---|---|---|')
  for (const t of r.targets) L.push(`| ${t.name} | **${t.status === 'fail' ? 'FAIL' : t.status}** | ${t.detail} |`)
  L.push('')
  L.push('*inconclusive* = missed, but in that measurement the load generator (or the whole machine) was saturated, so the miss cannot be pinned on the server; see the *limit* column.')
  L.push('')

  // workshop
  L.push('## Workload 1 — workshop room')
  L.push('')
  const wc = r.config.workshop
  L.push(
    `One board, N clients, ${Math.round(wc.activeFraction * 100)}% active. Active clients set their awareness state ({user, cursor:{x,y}, ts, seq}) at ${wc.cursorHz} Hz and create (25%) or move (75%) a tldraw note every ${wc.editEveryMs / 1000} s through \`putRecord\`; the sender's timestamp travels in the note's \`meta.ts\`. ` +
      `Warm-up ${wc.warmupSeconds} s, measured window ${wc.windowSeconds} s, then ${wc.drainMs / 1000} s drain. Latency = receive time − send time on the shared monotonic clock, over every (update, receiver) pair. Latencies are p50 / p95 / p99 / max in ms. ` +
      'Rows marked *active read* repeat the room with only the active clients applying and measuring what they receive; the passive ones are stock providers whose incoming handlers only count frames and bytes once synced. The server sends them exactly the same; the generator is spared the ~25 µs a full client spends per received frame, which is what saturates its one core first at large N.',
  )
  L.push('')
  L.push('| N | server | connect→synced p50/p95 ms | awareness p50/p95/p99/max | aw frames/s /client | aw delivered | aw final state | edits p50/p95/p99/max | edits delivered | KB/s /client | drops | server CPU % | server loop delay p99 ms | server RSS MB | gen CPU % (of its cores) | host CPU % (unattributed) | p99 ≤ 50 ms | limit |')
  L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const w of workshopRows) {
    {
      const n = receiversLabel(w)
      const x = w.result
      if (!x) {
        L.push(`| ${n} | ${w.server} | ${fmt(w.connect.synced.p50)}/${fmt(w.connect.synced.p95)} | failed: ${w.error ?? 'unknown'} |||||||||||||||`)
        continue
      }
      const ok = x.awareness.p99 !== null && x.edits.p99 !== null ? x.awareness.p99 <= 50 && x.edits.p99 <= 50 : null
      L.push(
        `| ${n} | ${w.server} | ${fmt(w.connect.synced.p50)}/${fmt(w.connect.synced.p95)}${w.connect.failed ? ` (${w.connect.failed} failed)` : ''} | ${sum(x.awareness)} | ${x.awareness.framesPerClientPerSec} | ${fmt(x.awareness.deliveredFraction, 3)} | ${fmt(x.awareness.finalStateConverged, 3)} | ${sum(x.edits)} | ${fmt(x.edits.deliveredFraction, 3)} | ${fmt(x.bytesPerClientPerSec / 1024)} | ${x.droppedSinceConnect} | ${fmt(x.cpu.serverCpuPct)} | ${fmt(x.serverEventLoopDelayMs?.p99)} | ${mb(x.cpu.serverRssMaxBytes)} | ${fmt(x.cpu.generatorCpuPct)} (${fmt(x.generatorCpuOfItsCoresPct)}) | ${fmt(x.cpu.hostCpuPct)} (${fmt(x.cpu.otherCpuPct)}) | ${mark(ok)} | ${x.limits.length ? x.limits.join('; ') : 'none detected'} |`,
      )
    }
  }
  L.push('')
  if (r.servers.length === 2) {
    L.push('Ratios ours / reference (lower is better for ours; `n/a` when a side has no value):')
    L.push('')
    L.push('| N | aw p99 | aw p50 | edit p99 | edit p50 | KB/s per client | aw frames/s per client | server CPU | server RSS |')
    L.push('|---|---|---|---|---|---|---|---|---|')
    for (const w of workshopRows.filter((x) => x.server === 'ours')) {
      const o = w.result
      const f = row(r, 'reference', w.n, w.receivers)?.result
      if (!o || !f) continue
      L.push(
        `| ${receiversLabel(w)} | ${fmt(ratio(o.awareness.p99, f.awareness.p99), 2)} | ${fmt(ratio(o.awareness.p50, f.awareness.p50), 2)} | ${fmt(ratio(o.edits.p99, f.edits.p99), 2)} | ${fmt(ratio(o.edits.p50, f.edits.p50), 2)} | ${fmt(ratio(o.bytesPerClientPerSec, f.bytesPerClientPerSec), 2)} | ${fmt(ratio(o.awareness.framesPerClientPerSec, f.awareness.framesPerClientPerSec), 2)} | ${fmt(ratio(o.cpu.serverCpuPct, f.cpu.serverCpuPct), 2)} | ${fmt(ratio(o.cpu.serverRssMaxBytes, f.cpu.serverRssMaxBytes), 2)} |`,
      )
    }
    L.push('')
  }
  L.push('Columns: *aw delivered* = distinct cursor updates received ÷ (sent × (N−1)); a server that coalesces cursor updates legitimately delivers fewer, so also see *aw final state* = fraction of (receiver, active sender) pairs where the receiver ended holding the sender\'s last cursor. *edits delivered* must be 1.000. *drops* = connections closed by the server or lost after connecting. *gen CPU* is % of one core for the whole generator process (in brackets: % of the cores it may use).')
  L.push('')

  // capacity
  L.push('## Workload 2 — capacity (rooms of 5)')
  L.push('')
  const cc = r.config.capacity
  L.push(
    `Rooms of ${cc.clientsPerRoom} clients (each room is a board made with \`POST /api/boards\`), all clients active with lighter traffic: cursor at ${cc.cursorHz} Hz and a note created or moved every ${cc.editEveryMs / 1000} s. ` +
      `Rooms are added step by step (${cc.steps.join(', ')}); earlier rooms stay connected and busy. Each step: warm-up ${cc.warmupSeconds} s, window ${cc.windowSeconds} s. Stops when p99 edit latency reaches ${cc.p99LimitMs} ms. ` +
      ((cc.readersPerRoom ?? cc.clientsPerRoom) < cc.clientsPerRoom
        ? `In each room ${cc.readersPerRoom} client(s) apply and measure what they receive; the other ${cc.clientsPerRoom - cc.readersPerRoom!} send as usual and only count what arrives (see workshop rows marked *active read*), so one generator core can drive 500 rooms.`
        : 'Every client applies and measures what it receives.'),
  )
  L.push('')
  L.push('| server | rooms | connections | connect→synced p50/p95 ms | edits p50/p95/p99/max | edits delivered | awareness p50/p95/p99/max | drops | server CPU % | server loop delay p99 ms | server RSS MB | gen CPU % (of its cores) | host CPU % (unattributed) | edit p99 < 100 ms | limit |')
  L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const c of r.capacity) {
    for (const s of c.steps) {
      const x = s.result
      L.push(
        `| ${c.server} | ${s.rooms} | ${s.connections} | ${fmt(s.connect.synced.p50)}/${fmt(s.connect.synced.p95)}${s.connect.failed ? ` (${s.connect.failed} failed)` : ''} | ${sum(x.edits)} | ${fmt(x.edits.deliveredFraction, 3)} | ${sum(x.awareness)} | ${x.droppedSinceConnect} | ${fmt(x.cpu.serverCpuPct)} | ${fmt(x.serverEventLoopDelayMs?.p99)} | ${mb(s.serverRssBytes)} | ${fmt(x.cpu.generatorCpuPct)} (${fmt(x.generatorCpuOfItsCoresPct)}) | ${fmt(x.cpu.hostCpuPct)} (${fmt(x.cpu.otherCpuPct)}) | ${mark(x.edits.p99 === null ? null : x.edits.p99 < cc.p99LimitMs)} | ${x.limits.length ? x.limits.join('; ') : 'none detected'} |`,
      )
    }
    if (c.error) L.push(`| ${c.server} | error: ${c.error} |||||||||||||`)
  }
  L.push('')
  for (const c of r.capacity)
    L.push(
      `- **${c.server}**: held ${c.maxRoomsUnderLimit ?? 0} rooms (${(c.maxRoomsUnderLimit ?? 0) * cc.clientsPerRoom} connections) under the limit; stopped: ${c.stoppedBecause}.` +
        (c.inconclusiveSteps?.length ? ` Over the limit, but other processes shared the CPU or the generator stalled in every attempt (not counted either way): ${c.inconclusiveSteps.join(', ')} rooms.` : ''),
    )
  const co = r.capacity.find((c) => c.server === 'ours')
  const cr = r.capacity.find((c) => c.server === 'reference')
  if (co && cr) L.push(`- Ratio rooms held ours/reference: ${fmt(ratio(co.maxRoomsUnderLimit, cr.maxRoomsUnderLimit), 2)}.`)
  L.push('')
  L.push('### Memory after rooms empty')
  L.push('')
  L.push('| server | RSS at start MB | RSS with peak rooms MB | peak rooms | RSS after disconnect + grace MB | change vs start | V8 heap used start / peak / after MB | after one forced GC: RSS / heap MB | rooms after grace | note |')
  L.push('|---|---|---|---|---|---|---|---|---|---|')
  for (const c of r.capacity) {
    const mm = c.memory
    const g = mm.startRssBytes && mm.afterGraceRssBytes ? `${((mm.afterGraceRssBytes / mm.startRssBytes - 1) * 100).toFixed(0)}%` : 'n/a'
    L.push(`| ${c.server} | ${mb(mm.startRssBytes)} | ${mb(mm.peakRssBytes)} | ${mm.peakRooms} | ${mb(mm.afterGraceRssBytes)} | ${g} | ${mb(mm.startHeapUsedBytes)} / ${mb(mm.peakHeapUsedBytes)} / ${mb(mm.afterGraceHeapUsedBytes)} | ${mb(mm.afterForcedGcRssBytes)} / ${mb(mm.afterForcedGcHeapUsedBytes)} | ${mm.roomsAfterGrace ?? 'n/a'} | ${mm.note} |`)
  }
  L.push('')

  // cold
  L.push('## Workload 3 — cold load')
  L.push('')
  const cl = r.config.cold
  L.push(
    `One client writes K notes (${cl.notesPerTransaction} per transaction) to a fresh board and leaves; the bench waits until a checker client sees all K notes. ` +
      `Then, ${cl.reps} times: on ours wait until \`/healthz\` reports 0 rooms (ROOM_IDLE_MS=${r.config.roomIdleMs}, so the board is loaded from SQLite), then time a fresh stock client from \`new WebsocketProvider\` to ws open and to \`synced\`. ` +
      'The reference server keeps every document in memory forever (no persistence), so its numbers are a warm, in-memory floor, not a disk load.',
  )
  L.push('')
  L.push('| server | notes | doc bytes | connect→open p50 ms | connect→doc frame p50 ms (server + transfer) | doc frame→synced p50 ms (client apply) | connect→synced p50 / p95 / max ms | bytes received | loads | from disk | < 300 ms (5,000) |')
  L.push('|---|---|---|---|---|---|---|---|---|---|---|')
  for (const c of r.cold) {
    L.push(
      `| ${c.server} | ${c.notes} | ${c.docBytes} | ${fmt(c.openMs.p50)} | ${fmt(c.docFrameMs?.p50)} | ${fmt(c.clientApplyMs?.p50)} | ${fmt(c.syncedMs.p50)} / ${fmt(c.syncedMs.p95)} / ${fmt(c.syncedMs.max)} | ${c.bytesReceived ?? 'n/a'} | ${c.syncedMs.n}/${c.reps} | ${c.fromDisk} | ${c.notes === 5000 ? mark(c.syncedMs.p50 === null ? null : c.syncedMs.p50 < 300) : '–'} |${c.error ? ` error: ${c.error}` : ''}`,
    )
  }
  const sizes = [...new Set(r.cold.map((c) => c.notes))]
  for (const s of sizes) {
    const o = r.cold.find((c) => c.server === 'ours' && c.notes === s)
    const f = r.cold.find((c) => c.server === 'reference' && c.notes === s)
    if (o && f) L.push(`\nRatio ours/reference, ${s} notes, synced p50: ${fmt(ratio(o.syncedMs.p50, f.syncedMs.p50), 2)}`)
  }
  const browserRows = r.cold.filter((c) => c.server === 'ours' && (c.browserInteractiveMs?.n || c.browserSkipped))
  if (browserRows.length) {
    L.push('')
    L.push('Time to the first interactive frame in Chromium (ours only: the reference has no web client): a fresh browser context opens the board page through its participant link; measured in the page from navigation start until the editor holds every note and has painted a frame after that. HTTP bytes: what that first visit received over HTTP (app code, styles, fonts, translations and, for a browser that has never had the board, the board itself, as sent, so compressed). Websocket bytes: payload that visit received over the websocket until interactive (uncompressed; after the HTTP preload only the difference and presence).')
    L.push('')
    L.push('| notes | p50 ms | max ms | loads | HTTP bytes (p50) | websocket bytes (p50) | note |')
    L.push('|---|---|---|---|---|---|---|')
    for (const c of browserRows) {
      L.push(`| ${c.notes} | ${fmt(c.browserInteractiveMs?.p50)} | ${fmt(c.browserInteractiveMs?.max)} | ${c.browserInteractiveMs?.n ?? 0} | ${c.browserHttpBytes ?? 'n/a'} | ${c.browserWsBytes ?? 'n/a'} | ${c.browserSkipped ?? ''} |`)
    }
  }
  L.push('')
  L.push('')

  // persistence
  L.push('## Workload 4 — persistence under workload 1')
  L.push('')
  L.push(
    'Our server appends every incoming update to the SQLite update log (WAL, `SQLITE_SYNCHRONOUS` default FULL) **before** applying and broadcasting it; the reference server persists nothing. ' +
      'Our server exposes no write-latency metric, so the bench preloads `bench/lib/sqliteProbe.mjs` into our server process (`node --import …`; no server code is changed): it wraps better-sqlite3 so every transaction that inserts into `updates` is timed from call to commit. ' +
      'The edit fan-out latency of ours includes this write; the reference\'s does not, so the difference in edit latency between the two is the end-to-end cost of durability.',
  )
  L.push('')
  L.push('| N | appends in window | write p50 / p95 / p99 / max ms | < 5 ms p99 | edit p99 ours − reference ms |')
  L.push('|---|---|---|---|---|')
  for (const n of ns) {
    const o = row(r, 'ours', n)?.result
    const f = row(r, 'reference', n)?.result
    const w = o?.updateLogWrite
    if (!o) continue
    const d = o.edits.p99 !== null && f?.edits.p99 != null ? fmt(o.edits.p99 - f.edits.p99) : 'n/a'
    L.push(`| ${n} | ${w ? w.n : 'not measured'} | ${w ? `${fmt(w.p50, 2)} / ${fmt(w.p95, 2)} / ${fmt(w.p99, 2)} / ${fmt(w.max, 2)}` : 'n/a'} | ${w && w.n ? mark((w.p99 ?? Infinity) < 5) : '–'} | ${d} |`)
  }
  L.push('')
  if (r.persistence) {
    const p = r.persistence
    L.push(`Evidence that ours persisted workload 1 (largest N), read from ${p.databaseFile ?? 'n/a'} while the server ran: database ${p.databaseBytes ?? 'n/a'} B + WAL ${p.walBytes ?? 'n/a'} B; rows: ${Object.entries(p.tables).map(([k, v]) => `${k} ${v}`).join(', ') || 'n/a'}; update log ${p.updateLogBytes ?? 'n/a'} B.${p.error ? ' Error: ' + p.error : ''}`)
    L.push('')
  }

  // notes
  L.push('## Methodology and caveats')
  L.push('')
  L.push('- Each (workload, server, N) runs against a freshly started server process (ours with a fresh temporary `DATA_DIR`); the two servers alternate order between steps.')
  L.push('- Clients are the stock `y-websocket` 3.x `WebsocketProvider` (Node, `ws` polyfill, `disableBc`), each with its own `Y.Doc`, awareness and `observeDeep` on the records map. A full Yjs client costs roughly 25 µs of CPU per received message, and the stock client re-sends every awareness update it receives back to the server, so with the stock server inbound awareness grows with N².')
  L.push('- Timestamps are `process.hrtime` (CLOCK_MONOTONIC) milliseconds, shared by all threads of the generator. Latency includes the generator\'s own queueing: when the generator is saturated (CPU near 100% of its cores, or its event-loop delay p99 ≥ 50 ms), the *limit* column says so and those rows measure the generator as much as the server.')
  L.push('- CPU: host from `/proc/stat`, server and generator processes from `/proc/<pid>/stat` (user+system) over the measured window; RSS from `/proc/<pid>/status`. Percentiles come from a log histogram with 2% buckets (max is exact).')
  L.push('- *host CPU* is % of all cores; in brackets the part (in % of one core) not attributed to the server or generator processes: kernel softirq for loopback networking and any other process on this shared machine (other engineers build and test in the same VM).')
  L.push('- *server loop delay* is the event-loop delay inside the server process (perf_hooks.monitorEventLoopDelay) over the window and drain, from the bench probe preloaded into both servers (`bench/lib/sqliteProbe.mjs`; no server code is changed). When it is high, the server itself queues work; when only the generator\'s is high, the generator does.')
  L.push('- Update-log write latency is measured by the same preload in our server process; it adds two clock reads per transaction.')
  for (const n of r.notes) L.push(`- ${n}`)
  const busy = (r.quietChecks ?? []).filter((q) => !q.quiet)
  L.push(
    `- Before each server start the bench waits (up to 10 s) for the host to be under 25% CPU. ` +
      (busy.length ? `It was still busy before: ${busy.map((q) => `${q.before} (${q.hostBusyPct}%)`).join(', ')}.` : 'It was quiet before every step.'),
  )
  const retried = [
    ...r.workshop.filter((w) => (w.attempts?.length ?? 0) > 1).map((w) => `${w.server} N=${w.n} (${w.attempts!.join(', ')})`),
    ...r.capacity.flatMap((c) => c.steps.filter((s) => (s.attempts?.length ?? 0) > 1).map((s) => `${c.server} ${s.rooms} rooms (${s.attempts.join(', ')})`)),
  ]
  L.push(
    `- A window in which other processes used ≥ ${r.config.capacity.contaminatedPct}% of a core, or a capacity window over the limit while the generator's own event loop was blocked for ≥ ${GENERATOR_STALL_MS} ms at once, is measured again (at most ${r.config.capacity.maxAttempts} times) and the attempt that speaks for the server is kept. ` +
      (retried.length ? `Re-measured (other-process CPU % of a core per attempt): ${retried.join('; ')}.` : 'No window needed re-measuring.'),
  )
  const noisy = [
    ...r.workshop.filter((w) => w.result?.cpu.topOtherProcesses.length).map((w) => `${w.server} N=${w.n}: ${w.result!.cpu.topOtherProcesses.join(', ')}`),
    ...r.capacity.flatMap((c) => c.steps.filter((s) => s.result.cpu.topOtherProcesses.length).map((s) => `${c.server} ${s.rooms} rooms: ${s.result.cpu.topOtherProcesses.join(', ')}`)),
  ]
  if (noisy.length) {
    L.push('- Other processes that used ≥ 1% of a core during a window (server child processes of the bench excluded only by pid, so a stale one would show here):')
    for (const x of noisy) L.push(`  - ${x}`)
  }
  const limited = r.workshop.filter((w) => w.result?.limits.length).map((w) => `${w.server} N=${w.n}: ${w.result!.limits.join('; ')}`)
  const capLimited = r.capacity.flatMap((c) => c.steps.filter((s) => s.result.limits.length).map((s) => `${c.server} ${s.rooms} rooms: ${s.result.limits.join('; ')}`))
  if (limited.length || capLimited.length) {
    L.push('- Where the generator or the machine limited the measurement:')
    for (const l of [...limited, ...capLimited]) L.push(`  - ${l}`)
  }
  L.push('')
  const findings = join(dirname(fileURLToPath(import.meta.url)), '..', 'findings.md')
  if (existsSync(findings)) {
    L.push(readFileSync(findings, 'utf8').trim())
    L.push('')
  }
  L.push('## How to run')
  L.push('')
  L.push('```sh')
  L.push('npm run bench                 # full run, ~15 min: writes bench/results/latest.json and this file')
  L.push('npm run bench -- --quick      # smoke run, < 2 min: writes bench/results/quick.{json,md}')
  L.push('npm run bench -- --servers=ours --workloads=workshop --n=50,100 --window=20')
  L.push('BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --servers=ours --workloads=workshop --n=200')
  L.push('```')
  L.push('')
  return L.join('\n')
}
