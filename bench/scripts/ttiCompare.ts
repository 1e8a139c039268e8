/**
 * A/B comparison of Chromium's time to the first interactive frame on a board
 * of 1,000 and 5,000 notes, for several builds of the client in one sitting.
 * One server, one board per size; the served client is switched between
 * builds (a symlink at dist/client) and the builds are interleaved rep by rep,
 * so background load on this shared machine hits every build alike.
 *
 *   npx vite build --outDir /tmp/dists/before --emptyOutDir   (on the old code)
 *   npx vite build --outDir /tmp/dists/after --emptyOutDir    (on the new code)
 *   node --import tsx bench/scripts/ttiCompare.ts --reps=5 before=/tmp/dists/before after=/tmp/dists/after
 *
 * Options: --sizes=1000,5000  --profile=DIR (one CPU profile per build and size, written as
 * .cpuprofile for DevTools)  --pan (after each load, pan right across the board for 120
 * frames and report the median and p95 frame time). dist/client is restored afterwards if
 * it was a directory.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { chromium } from 'playwright-core'
import { getRecordsMap, putRecord } from '../../shared/documentLayout'
import { noteRecord, shapeId, randomText } from '../lib/note'
import { createBoard, sleep, startServer, killAllChildren, REPO_ROOT } from '../lib/servers'
import { CHROMIUM_FLAGS } from '../../e2e/support/browser'
import { CHROMIUM, interactiveAt, openBenchPage } from '../lib/browserLoad'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt
const reps = Number(opt('reps', '5'))
const sizes = opt('sizes', '1000,5000').split(',').map(Number)
const profileDir = args.find((a) => a.startsWith('--profile='))?.split('=')[1]
const pan = args.includes('--pan')
const builds = args.filter((a) => !a.startsWith('--')).map((a) => {
  const [name, dir] = a.split('=')
  if (!name || !dir || !fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`bad build ${a}: want name=dir with an index.html`)
  return { name, dir: path.resolve(dir) }
})
if (builds.length === 0) throw new Error('name at least one build: name=/path/to/dist')

const CLIENT = path.join(REPO_ROOT, 'dist/client')
const SAVED = CLIENT + '.saved-by-ttiCompare'

function serve(dir: string) {
  const stat = fs.lstatSync(CLIENT, { throwIfNoEntry: false })
  if (stat?.isDirectory() && !stat.isSymbolicLink()) fs.renameSync(CLIENT, SAVED)
  else if (stat) fs.unlinkSync(CLIENT)
  fs.mkdirSync(path.dirname(CLIENT), { recursive: true })
  fs.symlinkSync(dir, CLIENT)
}

function restore() {
  const stat = fs.lstatSync(CLIENT, { throwIfNoEntry: false })
  if (stat?.isSymbolicLink()) fs.unlinkSync(CLIENT)
  if (fs.existsSync(SAVED)) fs.renameSync(SAVED, CLIENT)
}

async function fillBoard(wsUrl: string, room: string, notes: number): Promise<void> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true })
  await new Promise<void>((r) => provider.once('sync', () => r()))
  const records = getRecordsMap(doc)
  for (let i = 0; i < notes; i += 100) {
    doc.transact(() => {
      for (let k = i; k < Math.min(notes, i + 100); k++) {
        putRecord(records, noteRecord(shapeId(), (k % 100) * 220, Math.floor(k / 100) * 220, {}, randomText(8)))
      }
    })
    await sleep(5)
  }
  // Let the server take it all in before we leave.
  await sleep(1500)
  provider.destroy()
  doc.destroy()
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2)
}

async function main() {
  const server = await startServer('ours')
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
  const results: Record<string, Record<number, number[]>> = {}
  const panResults: Record<string, Record<number, { p50: number[]; p95: number[] }>> = {}
  try {
    const boards: Record<number, string> = {}
    for (const size of sizes) {
      boards[size] = await createBoard(server, `tti ${size}`)
      await fillBoard(server.wsUrl, boards[size]!, size)
    }
    for (const b of builds) results[b.name] = Object.fromEntries(sizes.map((s) => [s, []]))
    for (const b of builds) panResults[b.name] = Object.fromEntries(sizes.map((s) => [s, { p50: [], p95: [] }]))
    for (let rep = 0; rep < reps; rep++) {
      for (const size of sizes) {
        // Alternate which build goes first, so neither always gets the warmer machine.
        const order = rep % 2 ? [...builds].reverse() : builds
        for (const b of order) {
          serve(b.dir)
          const [id, query] = boards[size]!.split('?')
          const key = new URLSearchParams(query ?? '').get('key')
          const { context, page } = await openBenchPage(browser)
          const profiling = profileDir && rep === 0
          const cdp = profiling ? await context.newCDPSession(page) : undefined
          if (cdp) {
            await cdp.send('Profiler.enable')
            await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
            await cdp.send('Profiler.start')
          }
          await page.goto(`${server.baseUrl}/b/${id}#key=${key}`)
          const ms = await interactiveAt(page, size)
          if (cdp) {
            const { profile } = await cdp.send('Profiler.stop')
            fs.mkdirSync(profileDir!, { recursive: true })
            fs.writeFileSync(path.join(profileDir!, `${b.name}-${size}.cpuprofile`), JSON.stringify(profile))
          }
          results[b.name]![size]!.push(Math.round(ms))
          let panNote = ''
          if (pan) {
            // Pan right 100 screen px a frame, as a drag would, timing each frame.
            const frames = (await page.evaluate(`new Promise((resolve) => {
              const editor = window.__editor
              const times = []
              let last = performance.now()
              let n = 0
              const step = () => {
                const now = performance.now()
                if (n > 0) times.push(now - last)
                last = now
                if (n++ === 120) return resolve(times)
                const c = editor.getCamera()
                editor.setCamera({ x: c.x - 100 / c.z, y: c.y, z: c.z })
                requestAnimationFrame(step)
              }
              requestAnimationFrame(step)
            })`)) as number[]
            frames.sort((a, b) => a - b)
            const p50 = frames[Math.floor(frames.length / 2)]!
            const p95 = frames[Math.floor(frames.length * 0.95)]!
            panResults[b.name]![size]!.p50.push(p50)
            panResults[b.name]![size]!.p95.push(p95)
            panNote = `; pan frame p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`
          }
          console.log(`rep ${rep} ${b.name} ${size}: ${Math.round(ms)} ms${profiling ? ' (profiled)' : ''}${panNote}`)
          await context.close()
        }
      }
    }
  } finally {
    await browser.close()
    await server.stop()
    restore()
  }
  console.log('\nmedians (ms since navigation start; profiled rep excluded when --profile):')
  for (const b of builds) {
    const cols = sizes.map((s) => {
      const xs = results[b.name]![s]!.slice(profileDir ? 1 : 0)
      return `${s}: ${median(xs)} [${xs.join(', ')}]`
    })
    console.log(`  ${b.name.padEnd(12)} ${cols.join('   ')}`)
  }
  if (pan) {
    console.log('\npanning, median over reps of the per-load frame time p50 / p95 (ms):')
    for (const b of builds) {
      const cols = sizes.map((s) => `${s}: ${median(panResults[b.name]![s]!.p50).toFixed(1)} / ${median(panResults[b.name]![s]!.p95).toFixed(1)}`)
      console.log(`  ${b.name.padEnd(12)} ${cols.join('   ')}`)
    }
  }
}

main().catch((e) => {
  restore()
  killAllChildren()
  console.error(e)
  process.exit(1)
})
