/**
 * `npm run bench` — load and latency benchmark of OUR sync server against the
 * stock y-websocket REFERENCE server (@y/websocket-server), side by side.
 *
 *   npm run bench                      full run (~15 min), writes bench/results/latest.json + docs/benchmarks.md
 *   npm run bench -- --quick           smoke run (<2 min), writes bench/results/quick.json only
 *   options:
 *     --servers=ours,reference         which servers (default both; ours is skipped if server/src/main.ts is missing)
 *     --workloads=workshop,sampled,capacity,cold
 *     --n=25,50,100,200                workshop room sizes   (env BENCH_N)
 *     --sampled-n=100,200              workshop room sizes where only the active clients read and measure
 *                                      (the passive ones count what they receive without applying it)
 *     --rooms=50,100,200,300,500,750,1000  capacity steps, until edit p99 passes 100 ms (env BENCH_ROOMS)
 *     --capacity-readers=1             clients per room of 5 that read and measure (default 1; 5 = all stock)
 *     --notes=1000,5000                cold-load board sizes (env BENCH_NOTES)
 *     --window=15                      seconds measured per step
 *     --docs / --no-docs               force writing / not writing docs/benchmarks.md
 *     --out=path.json                  results file
 *     --render [--from=file.json]      only re-render docs/benchmarks.md from a results file (plus bench/findings.md)
 *   env BENCH_WORKERS                  generator worker threads (default: cores - 1, at least 1)
 *   env BENCH_SERVER_NODE_ARGS         extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   env BENCH_SERVER_ENV               extra environment for the servers, e.g. "MALLOC_ARENA_MAX=2"
 *
 * A benchmark, not a test: it always exits 0 after writing what it measured
 * (1 only if it could not run at all). Every child process is killed on exit.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Generator, defaultWorkerCount } from './lib/generator'
import { Deadline } from './lib/deadline'
import { killAllChildren, oursAvailable, REPO_ROOT, type ServerKind } from './lib/servers'
import { machineDescription, waitForQuiet } from './lib/procstats'
import { runWorkshop, type Receivers, type WorkshopConfig, type WorkshopRow } from './workloads/workshop'
import { runCapacity, type CapacityConfig, type CapacityResult } from './workloads/capacity'
import { runColdLoad, type ColdConfig, type ColdRow } from './workloads/coldLoad'
import { inspectDataDir, type PersistenceEvidence } from './workloads/persistence'
import { renderMarkdown, evaluateTargets } from './lib/report'

const args = process.argv.slice(2)
const flag = (name: string) => args.includes(`--${name}`)
const opt = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=')
const list = (v: string | undefined): number[] | undefined =>
  v ? v.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0) : undefined

const KNOWN = ['quick', 'servers', 'workloads', 'n', 'sampled-n', 'capacity-readers', 'rooms', 'notes', 'window', 'docs', 'no-docs', 'out', 'render', 'from', 'help']
const USAGE = `usage: npm run bench -- [--quick] [--servers=ours,reference] [--workloads=workshop,sampled,capacity,cold]
         [--n=25,50,100,200] [--sampled-n=100,200] [--rooms=50,100,200,300,500,750,1000] [--capacity-readers=1] [--notes=1000,5000] [--window=SECONDS]
         [--docs | --no-docs] [--out=FILE.json] [--render [--from=FILE.json]]
  (no options: full run, ~15 min, writes bench/results/latest.json and docs/benchmarks.md)
  env: BENCH_WORKERS, BENCH_N, BENCH_ROOMS, BENCH_NOTES, BENCH_SERVER_NODE_ARGS, BENCH_SERVER_ENV, BENCH_KEEP_DATA`
{
  const unknown = args.filter((a) => !KNOWN.includes(a.replace(/^--?/, '').split('=')[0] ?? ''))
  if (args.includes('--help') || args.includes('-h') || unknown.length) {
    if (unknown.length) console.error(`unknown option(s): ${unknown.join(' ')}`)
    console.log(USAGE)
    process.exit(unknown.length ? 2 : 0)
  }
}
const quick = flag('quick')
const ROOM_IDLE_MS = 500
/** A window in which other processes used this much of a core (%) is measured again. */
const CONTAMINATED_PCT = 40
const MAX_ATTEMPTS = quick ? 1 : 2
const serverNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
/** Extra environment for the servers, e.g. BENCH_SERVER_ENV="MALLOC_ARENA_MAX=2" (diagnosis runs). */
const serverEnv: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_SERVER_ENV ?? '')
    .split(' ')
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
)
const windowSeconds = Number(opt('window') ?? (quick ? 5 : 15))

const workshopCfg: WorkshopConfig = {
  ns: list(opt('n') ?? process.env.BENCH_N) ?? (quick ? [10, 25] : [25, 50, 100, 200]),
  activeFraction: 0.3,
  cursorHz: 20,
  editEveryMs: 2000,
  warmupSeconds: quick ? 2 : 3,
  windowSeconds,
  drainMs: 2000,
  server: { roomIdleMs: ROOM_IDLE_MS, probe: true, extraNodeArgs: serverNodeArgs, extraEnv: serverEnv },
}
/** Workshop room sizes measured again with only the active clients reading (see workshop.ts). */
const sampledNs = list(opt('sampled-n')) ?? (quick ? [25] : [100, 200])
const capacityCfg: CapacityConfig = {
  steps: list(opt('rooms') ?? process.env.BENCH_ROOMS) ?? (quick ? [10, 20] : [50, 100, 200, 300, 500, 750, 1000]),
  clientsPerRoom: 5,
  readersPerRoom: Number(opt('capacity-readers') ?? 1),
  cursorHz: 2,
  editEveryMs: 5000,
  warmupSeconds: quick ? 2 : 5,
  windowSeconds: quick ? 5 : Math.max(10, Math.round(windowSeconds * 0.8)),
  drainMs: 2000,
  p99LimitMs: 100,
  graceMs: 2000,
  contaminatedPct: CONTAMINATED_PCT,
  maxAttempts: MAX_ATTEMPTS,
  server: { roomIdleMs: ROOM_IDLE_MS, probe: true, extraNodeArgs: serverNodeArgs, extraEnv: serverEnv },
}
const coldCfg: ColdConfig = {
  sizes: list(opt('notes') ?? process.env.BENCH_NOTES) ?? (quick ? [1000] : [1000, 5000]),
  reps: quick ? 3 : 7,
  notesPerTransaction: 50,
  server: { roomIdleMs: ROOM_IDLE_MS, extraNodeArgs: serverNodeArgs, extraEnv: serverEnv },
}

const allWorkloads = ['workshop', 'sampled', 'capacity', 'cold']
const workloads = (opt('workloads') ?? allWorkloads.join(',')).split(',').filter((w) => allWorkloads.includes(w))
let servers = (opt('servers') ?? 'reference,ours').split(',').filter((s): s is ServerKind => s === 'ours' || s === 'reference')
const notes: string[] = []
if (servers.includes('ours') && !oursAvailable()) {
  servers = servers.filter((s) => s !== 'ours')
  notes.push('OUR server (server/src/main.ts) does not exist yet in this tree: only the reference server was measured.')
}
const writeDocs = flag('docs') || (!quick && !flag('no-docs'))
const outFile = opt('out') ?? join(REPO_ROOT, 'bench/results', quick ? 'quick.json' : 'latest.json')
const deadline = new Deadline(quick ? 4 * 60_000 : 25 * 60_000)

function gitInfo(): { commit: string; dirty: boolean } {
  try {
    const commit = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT }).toString().trim()
    const dirty = execSync('git status --porcelain -- server shared', { cwd: REPO_ROOT }).toString().trim().length > 0
    return { commit, dirty }
  } catch {
    return { commit: 'unknown', dirty: false }
  }
}

let gen: Generator | null = null
let exiting = false
async function shutdown(code: number): Promise<never> {
  if (!exiting) {
    exiting = true
    killAllChildren('SIGTERM')
    setTimeout(() => killAllChildren('SIGKILL'), 2000).unref()
    await gen?.close().catch(() => 0)
    killAllChildren('SIGKILL')
  }
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(130))
process.on('SIGTERM', () => void shutdown(143))
process.on('exit', () => killAllChildren('SIGKILL'))
process.on('uncaughtException', (e) => {
  console.error('uncaught:', e)
  void shutdown(1)
})

const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a)

const quietLog: { before: string; waitedMs: number; hostBusyPct: number | null; quiet: boolean }[] = []
/** Waits (at most 10 s, 2 s in --quick) for other processes on this shared machine to calm down. */
async function quiet(before: string): Promise<void> {
  const q = await waitForQuiet(quick ? 2000 : 10_000)
  quietLog.push({ before, ...q })
  if (!q.quiet) log(`  machine busy before ${before}: host CPU ${q.hostBusyPct}% after waiting ${Math.round(q.waitedMs / 1000)} s; measuring anyway`)
}

/** `--render`: rewrite docs/benchmarks.md from an existing results file (e.g. after editing bench/findings.md). */
function renderOnly(): void {
  const file = opt('from') ?? join(REPO_ROOT, 'bench/results/latest.json')
  const results = JSON.parse(readFileSync(file, 'utf8'))
  // targets are re-evaluated so a fix to their evaluation applies to stored numbers too
  const withTargets = { ...results, targets: evaluateTargets(results) }
  writeFileSync(file, JSON.stringify(withTargets, null, 2) + '\n')
  writeFileSync(join(REPO_ROOT, 'docs/benchmarks.md'), renderMarkdown(withTargets))
  log(`rendered docs/benchmarks.md from ${file}`)
}

async function main(): Promise<void> {
  if (flag('render')) return renderOnly()
  const startedAt = new Date().toISOString()
  gen = await Generator.create(defaultWorkerCount())
  log(`generator: ${gen.size} worker thread(s); servers: ${servers.join(', ')}; workloads: ${workloads.join(', ')}${quick ? ' (quick)' : ''}`)
  const workshop: WorkshopRow[] = []
  const capacity: CapacityResult[] = []
  const cold: ColdRow[] = []
  let persistence: PersistenceEvidence | null = null

  const plan: { n: number; receivers: Receivers }[] = [
    ...(workloads.includes('workshop') ? workshopCfg.ns.map((n) => ({ n, receivers: 'all' as const })) : []),
    ...(workloads.includes('sampled') ? sampledNs.map((n) => ({ n, receivers: 'active' as const })) : []),
  ]
  {
    for (const [step, { n, receivers }] of plan.entries()) {
      // alternate which server goes first so slow drift of the machine does not favour one
      const order = step % 2 === 0 ? servers : [...servers].reverse()
      const label = receivers === 'all' ? `N=${n}` : `N=${n} (active clients read)`
      for (const kind of order) {
        if (deadline.remainingMs() < 60_000) {
          notes.push(`workshop ${label} on ${kind} skipped: run time budget exhausted`)
          continue
        }
        await quiet(`workshop ${kind} ${label}`)
        log(`workshop: ${kind} ${label} …`)
        const isLast = receivers === 'all' && n === Math.max(...workshopCfg.ns)
        // Other processes on this shared machine can land in a window: retry a
        // contaminated measurement (bounded) and keep the cleanest attempt.
        let row: WorkshopRow | null = null
        const attempts: number[] = []
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          if (attempt > 0) {
            if (deadline.remainingMs() < 120_000) break
            log(`  ${kind} N=${n}: ${attempts.at(-1)}% of a core used by other processes; measuring again`)
            await quiet(`workshop ${kind} N=${n} retry`)
          }
          const r = await runWorkshop(
            kind,
            gen!,
            workshopCfg,
            n,
            deadline,
            async (rr, dataDir) => {
              if (kind === 'ours' && isLast) rr.persistence = inspectDataDir(dataDir)
            },
            receivers,
          )
          attempts.push(r.result?.cpu.otherCpuPct ?? -1)
          if (!row || !row.result || (r.result && (r.result.cpu.otherCpuPct ?? 0) < (row.result.cpu.otherCpuPct ?? 0))) row = r
          if (!r.result || (r.result.cpu.otherCpuPct ?? 0) < CONTAMINATED_PCT) break
        }
        row!.attempts = attempts
        workshop.push(row!)
        const r = row!.result
        if (row!.persistence) persistence = row!.persistence
        log(
          `  ${kind} ${label}: ` +
            (r
              ? `aw p99 ${r.awareness.p99} ms (${r.awareness.framesPerClientPerSec} fr/s/client, delivered ${r.awareness.deliveredFraction}), ` +
                `edit p99 ${r.edits.p99} ms (delivered ${r.edits.deliveredFraction}), drops ${r.droppedSinceConnect}, ` +
                `server CPU ${r.cpu.serverCpuPct}% gen CPU ${r.cpu.generatorCpuPct}% host ${r.cpu.hostCpuPct}%` +
                (r.updateLogWrite ? `, log write p99 ${r.updateLogWrite.p99} ms` : '') +
                (r.limits.length ? ` [${r.limits.join('; ')}]` : '')
              : `failed: ${row!.error}`),
        )
      }
    }
  }
  if (workloads.includes('capacity')) {
    for (const kind of servers) {
      if (deadline.remainingMs() < 90_000) {
        notes.push(`capacity on ${kind} skipped: run time budget exhausted`)
        continue
      }
      await quiet(`capacity ${kind}`)
      log(`capacity: ${kind} steps ${capacityCfg.steps.join(',')} …`)
      const res = await runCapacity(kind, gen, capacityCfg, deadline)
      capacity.push(res)
      for (const s of res.steps) {
        log(
          `  ${kind} ${s.rooms} rooms: edit p99 ${s.result.edits.p99} ms, aw p99 ${s.result.awareness.p99} ms, ` +
            `drops ${s.result.droppedSinceConnect}, server CPU ${s.result.cpu.serverCpuPct}% gen CPU ${s.result.cpu.generatorCpuPct}% host ${s.result.cpu.hostCpuPct}%` +
            (s.result.updateLogWrite ? `, log write p99 ${s.result.updateLogWrite.p99} ms` : '') +
            (s.result.limits.length ? ` [${s.result.limits.join('; ')}]` : ''),
        )
      }
      log(`  ${kind}: ${res.stoppedBecause}; memory ${JSON.stringify(res.memory)}${res.error ? '; error ' + res.error : ''}`)
    }
  }
  if (workloads.includes('cold')) {
    for (const kind of servers) {
      if (deadline.remainingMs() < 30_000) {
        notes.push(`cold load on ${kind} skipped: run time budget exhausted`)
        continue
      }
      await quiet(`cold load ${kind}`)
      log(`cold load: ${kind} sizes ${coldCfg.sizes.join(',')} …`)
      const rows = await runColdLoad(kind, coldCfg, deadline)
      cold.push(...rows)
      for (const r of rows) {
        log(`  ${kind} ${r.notes} notes (${r.docBytes} B): synced p50 ${r.syncedMs.p50} ms max ${r.syncedMs.max} ms, fromDisk ${r.fromDisk}${r.error ? ', error ' + r.error : ''}`)
      }
    }
  }

  const results = {
    kind: 'workshop-whiteboard benchmark',
    quick,
    startedAt,
    finishedAt: new Date().toISOString(),
    git: gitInfo(),
    machine: machineDescription(),
    generator: { workers: gen.size, note: 'worker_threads in the bench process; generator CPU = /proc/self/stat of that process (all threads)' },
    config: { workshop: workshopCfg, sampledNs, capacity: capacityCfg, cold: coldCfg, roomIdleMs: ROOM_IDLE_MS },
    servers,
    workshop,
    capacity,
    cold,
    persistence,
    quietChecks: quietLog,
    notes,
  }
  const withTargets = { ...results, targets: evaluateTargets(results) }
  mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true })
  writeFileSync(outFile, JSON.stringify(withTargets, null, 2) + '\n')
  log(`results: ${outFile}`)
  const md = renderMarkdown(withTargets)
  if (writeDocs) {
    writeFileSync(join(REPO_ROOT, 'docs/benchmarks.md'), md)
    log('wrote docs/benchmarks.md')
  } else {
    writeFileSync(outFile.replace(/\.json$/, '.md'), md)
    log(`markdown: ${outFile.replace(/\.json$/, '.md')}`)
  }
  for (const t of withTargets.targets) log(`target ${t.status.toUpperCase().padEnd(8)} ${t.name}: ${t.detail}`)
}

main().then(
  () => shutdown(0),
  (e) => {
    console.error(e)
    void shutdown(1)
  },
)
