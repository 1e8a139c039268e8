/**
 * Memory after rooms empty: starts our server (fresh DATA_DIR, ROOM_IDLE_MS=500,
 * bench probe preloaded for process.memoryUsage()), opens R rooms of C light
 * protocol clients (raw ws + y-protocols: a note created or moved every 5 s,
 * a cursor at 2 Hz, like the bench capacity workload), keeps them busy for a
 * while, disconnects everyone, waits for /healthz to report 0 rooms plus a
 * grace, and prints RSS / V8 heap at start, at peak, after the grace and after
 * a few more idle seconds. Optionally one forced GC at the end (diagnosis).
 *
 *   node --import tsx server/scripts/idleMemory.ts [--rooms=500] [--clients=5] [--seconds=15]
 *        [--idle=10] [--series] [--gc] [--smaps] [--node-args="--max-semi-space-size=2"] [--env=MALLOC_ARENA_MAX=2]
 */
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { createBoards, healthz, startServer } from '../../bench/lib/servers'
import { noteRecord, shapeId } from '../../bench/lib/note'
import { getRecordsMap, putRecord } from '../../shared/documentLayout'

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=') ?? fallback
const ROOMS = Number(arg('rooms', '500'))
const CLIENTS = Number(arg('clients', '5'))
const SECONDS = Number(arg('seconds', '15'))
const IDLE = Number(arg('idle', '10'))
const nodeArgs = arg('node-args', '').split(' ').filter(Boolean)
const extraEnv = Object.fromEntries(
  process.argv.filter((a) => a.startsWith('--env=')).map((a) => a.slice(6).split('=') as [string, string]),
)

const server = await startServer('ours', { roomIdleMs: 500, probe: true, extraNodeArgs: [...(process.argv.includes('--gc') ? ['--expose-gc'] : []), ...nodeArgs], extraEnv })
const mb = (n: number | undefined) => (n === undefined ? '?' : (n / 1048576).toFixed(0))
const snap = async (label: string) => {
  await sleep(600) // the probe writes every 250 ms
  const p = server.readProbe()
  const h = await healthz(server)
  console.log(`${label.padEnd(22)} rss ${mb(p?.memory?.rss)} MB  heapUsed ${mb(p?.memory?.heapUsed)}  heapTotal ${mb(p?.memory?.heapTotal)}  external ${mb(p?.memory?.external)}  arrayBuffers ${mb(p?.memory?.arrayBuffers)}  rooms ${h?.rooms} conns ${h?.connections}`)
  return p?.memory
}

console.log(`rooms ${ROOMS} x ${CLIENTS}, ${SECONDS} s busy; node args: ${nodeArgs.join(' ') || '-'}; env: ${JSON.stringify(extraEnv)}`)
await snap('process start')
const boards = await createBoards(server, ROOMS, 'mem')
await snap('boards created')

interface Client {
  ws: WebSocket
  doc: Y.Doc
  awareness: Awareness
  noteId: string | null
}
const clients: Client[] = []
const connectOne = (boardId: string) =>
  new Promise<Client>((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/${boardId}`)
    ws.binaryType = 'arraybuffer'
    const doc = new Y.Doc()
    const awareness = new Awareness(doc)
    const client: Client = { ws, doc, awareness, noteId: null }
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote' || ws.readyState !== ws.OPEN) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      syncProtocol.writeUpdate(e, update)
      ws.send(encoding.toUint8Array(e))
    })
    ws.on('open', () => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep1(e, doc)
      ws.send(encoding.toUint8Array(e))
    })
    ws.on('message', (data: ArrayBuffer) => {
      const d = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(d) !== 0) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      const type = syncProtocol.readSyncMessage(d, e, doc, 'remote')
      if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e))
      if (type === syncProtocol.messageYjsSyncStep2) resolve(client)
    })
    ws.on('error', reject)
  })

for (const boardId of boards) {
  const room = await Promise.all(Array.from({ length: CLIENTS }, () => connectOne(boardId)))
  clients.push(...room)
}
await snap('connected')

const sendCursor = (c: Client) => {
  c.awareness.setLocalState({ user: { name: 'x', color: '#f00' }, cursor: { x: Math.random() * 1000, y: Math.random() * 1000 }, ts: Date.now() })
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, encodeAwarenessUpdate(c.awareness, [c.doc.clientID]))
  if (c.ws.readyState === c.ws.OPEN) c.ws.send(encoding.toUint8Array(e))
}
const edit = (c: Client) => {
  c.noteId ??= shapeId()
  c.doc.transact(() => putRecord(getRecordsMap(c.doc), noteRecord(c.noteId!, Math.random() * 1000, Math.random() * 1000, { ts: Date.now() })))
}
const cursorTimer = setInterval(() => clients.forEach(sendCursor), 500)
const editTimers = clients.map((c, i) => setTimeout(() => {
  edit(c)
  editTimers[i] = setInterval(() => edit(c), 5000)
}, Math.random() * 5000))
await sleep(SECONDS * 1000)
clearInterval(cursorTimer)
editTimers.forEach((t) => clearInterval(t))
await snap('peak (busy)')

for (const c of clients) c.ws.close()
const t0 = Date.now()
for (;;) {
  const h = await healthz(server)
  if (h?.rooms === 0 && h.connections === 0) break
  await sleep(200)
}
console.log(`rooms unloaded after ${Date.now() - t0} ms`)
await sleep(2000)
await snap('after grace +2 s')
if (process.argv.includes('--series')) {
  // How RSS settles over time: one line every 5 s, with glibc's main arena ([heap]) and anonymous mappings apart.
  const { readFileSync } = await import('node:fs')
  const kinds = () => {
    let heap = 0, anon = 0, files = 0, cur = ''
    for (const line of readFileSync(`/proc/${server.pid}/smaps`, 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
      if (head) cur = head[1] ?? ''
      else if (line.startsWith('Rss:')) {
        const kb = Number(line.split(/\s+/)[1])
        if (cur === '[heap]') heap += kb
        else if (cur.startsWith('/')) files += kb
        else anon += kb
      }
    }
    return `[heap] ${(heap / 1024).toFixed(0)} anon ${(anon / 1024).toFixed(0)} files ${(files / 1024).toFixed(0)}`
  }
  for (let s = 5; s <= IDLE; s += 5) {
    await sleep(5000 - 600)
    await snap(`idle +${s} s`)
    console.log(`  smaps MB: ${kinds()}`)
  }
} else {
  await sleep(IDLE * 1000)
  await snap(`idle +${IDLE} s more`)
}
if (process.argv.includes('--gc')) {
  const g = await server.forceGc()
  console.log(`after forced gc        rss ${mb(g?.rss)} MB  heapUsed ${mb(g?.heapUsed)}  heapTotal ${mb(g?.heapTotal)}  external ${mb(g?.external)}  arrayBuffers ${mb(g?.arrayBuffers)}`)
}
if (process.argv.includes('--smaps')) {
  const { readFileSync } = await import('node:fs')
  const roll = readFileSync(`/proc/${server.pid}/smaps_rollup`, 'utf8')
  console.log(roll.split('\n').filter((l) => /^(Rss|Anonymous|LazyFree|Private_Dirty)/.test(l)).join('  '))
  // Largest mappings by Rss: [heap] is glibc's main arena, anonymous 64 MB-aligned ones are arenas or V8 pages.
  const maps: { name: string; rss: number; lazy: number; size: number }[] = []
  let cur: { name: string; rss: number; lazy: number; size: number } | null = null
  for (const line of readFileSync(`/proc/${server.pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) maps.push((cur = { name: head[3] || `anon ${head[1]}`, rss: 0, lazy: 0, size: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024 }))
    else if (cur && line.startsWith('Rss:')) cur.rss = Number(line.split(/\s+/)[1])
    else if (cur && line.startsWith('LazyFree:')) cur.lazy = Number(line.split(/\s+/)[1])
  }
  const total = (f: (m: (typeof maps)[0]) => boolean) => (maps.filter(f).reduce((a, m) => a + m.rss, 0) / 1024).toFixed(0)
  console.log(`rss by kind MB: [heap] ${total((m) => m.name === '[heap]')}, anon ${total((m) => m.name.startsWith('anon'))}, files ${total((m) => m.name.startsWith('/'))}`)
  for (const m of maps.sort((a, b) => b.rss - a.rss).slice(0, 12)) console.log(`  ${(m.rss / 1024).toFixed(1)} MB rss of ${(m.size / 1024).toFixed(1)} MB  lazyfree ${(m.lazy / 1024).toFixed(1)}  ${m.name}`)
}
if (process.env.SHOW_STDERR) console.log(server.stderrTail())
for (const c of clients) c.doc.destroy()
await server.stop()
process.exit(0)
