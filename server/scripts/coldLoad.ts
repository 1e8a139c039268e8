/**
 * Cold load of a big board from disk, like the bench's cold workload but small
 * enough to run beside other work: one client writes K notes (50 per
 * transaction) and leaves; then, L times, once /healthz reports 0 rooms
 * (ROOM_IDLE_MS=500, so the board comes from SQLite), a fresh protocol client
 * (raw ws + y-protocols, one Y.Doc) is timed from connect to ws open, to the
 * first document frame, and to synced (step 2 applied).
 *
 *   node --import tsx server/scripts/coldLoad.ts [--notes=5000] [--loads=7] [--node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"]
 */
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { createBoards, healthz, startServer } from '../../bench/lib/servers'
import { noteRecord, shapeId } from '../../bench/lib/note'
import { getRecordsMap, putRecord } from '../../shared/documentLayout'

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=') ?? fallback
const NOTES = Number(arg('notes', '5000'))
const LOADS = Number(arg('loads', '7'))
const nodeArgs = arg('node-args', '').split(' ').filter(Boolean)

const server = await startServer('ours', { roomIdleMs: 500, extraNodeArgs: nodeArgs })
const [boardId] = await createBoards(server, 1, 'cold')
const now = () => performance.now()

interface Timing {
  open: number
  docFrame: number
  synced: number
  bytes: number
}

function connect(onDoc?: (doc: Y.Doc, ws: WebSocket) => void): Promise<Timing & { doc: Y.Doc; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const t0 = now()
    const ws = new WebSocket(`${server.wsUrl}/${boardId}`)
    ws.binaryType = 'arraybuffer'
    const doc = new Y.Doc()
    const t: Timing = { open: 0, docFrame: 0, synced: 0, bytes: 0 }
    ws.on('open', () => {
      t.open = now() - t0
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep1(e, doc)
      ws.send(encoding.toUint8Array(e))
    })
    ws.on('message', (data: ArrayBuffer) => {
      t.bytes += data.byteLength
      const d = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(d) !== 0) return
      if (!t.docFrame && data.byteLength > 1024) t.docFrame = now() - t0
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      const type = syncProtocol.readSyncMessage(d, e, doc, 'remote')
      if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e))
      if (type === syncProtocol.messageYjsSyncStep2 && !t.synced) {
        t.synced = now() - t0
        onDoc?.(doc, ws)
        resolve({ ...t, doc, ws })
      }
    })
    ws.on('error', reject)
  })
}

const waitUnloaded = async () => {
  for (;;) {
    const h = await healthz(server)
    if (h?.rooms === 0 && h.connections === 0) return
    await sleep(100)
  }
}

// Write the board.
const writer = await connect()
const records = getRecordsMap(writer.doc)
for (let i = 0; i < NOTES; i += 50) {
  writer.doc.transact(() => {
    for (let j = i; j < Math.min(NOTES, i + 50); j++) putRecord(records, noteRecord(shapeId(), (j % 100) * 220, Math.floor(j / 100) * 220, { ts: Date.now() }))
  })
}
// Sent as one update; the room compacts it into the snapshot when it unloads.
writer.ws.send(
  (() => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(writer.doc))
    return encoding.toUint8Array(e)
  })(),
)
const docBytes = Y.encodeStateAsUpdate(writer.doc).byteLength
await sleep(1000)
writer.ws.close()
writer.doc.destroy()
await waitUnloaded()

const runs: Timing[] = []
for (let i = 0; i < LOADS; i++) {
  await waitUnloaded()
  await sleep(300)
  const r = await connect()
  const notes = getRecordsMap(r.doc).size
  if (notes < NOTES) throw new Error(`load ${i}: only ${notes} of ${NOTES} notes`)
  runs.push({ open: r.open, docFrame: r.docFrame, synced: r.synced, bytes: r.bytes })
  r.ws.close()
  r.doc.destroy()
}
const med = (k: keyof Timing) => {
  const v = runs.map((r) => r[k]).sort((a, b) => a - b)
  return v[Math.floor(v.length / 2)]!.toFixed(1)
}
console.log(`notes ${NOTES}, doc ${docBytes} B, ${LOADS} cold loads from disk`)
console.log(`median ms: open ${med('open')}, first doc frame ${med('docFrame')}, synced ${med('synced')}`)
console.log(`synced each: ${runs.map((r) => r.synced.toFixed(0)).join(' ')}; doc frame each: ${runs.map((r) => r.docFrame.toFixed(0)).join(' ')}`)
await server.stop()
process.exit(0)
