/**
 * Fault: hostile or broken clients send thousands of malformed frames:
 * runs of 0xff (varints that never end), truncated sync and awareness frames,
 * unknown message types, lengths that claim gigabytes, random bytes, valid
 * frames with flipped bits, empty frames, text frames, oversized frames, to a
 * loaded board and to a cold board that is unloaded and reloaded under fire;
 * some connections declare our protocol (?protocol=, hello first), some a
 * garbage or too-old version (must be closed with 4426, nothing else).
 *
 * What a user would notice if it went wrong: the server process dying (every
 * workshop on it frozen), honest people being disconnected or drifting
 * apart, or a board that no longer opens after a restart because garbage was
 * stored.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, describe, expect, it } from 'vitest'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { getRecordsMap, putRecord, type PlainRecord } from '../../../shared/documentLayout'
import { Close, MessageType, PROTOCOL_VERSION } from '../../../shared/protocol'
import { PROTOCOL_PARAM } from '../../../shared/syncHandshake'
import { connectClient, createBoard, health, waitFor, type TestClient } from '../../test-utils/startServer'
import { missingFrom, noteRecord, recordsJson, sleep } from './helpers/boardState'
import { startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'
import { createRng, runSeed, type Rng } from './helpers/prng'
import { rawSocket, type RawClose } from './helpers/rawSocket'

const SEED = runSeed()
const MAX_MESSAGE_BYTES = 64 * 1024
const CONNECTIONS = 2000
/**
 * The fuzz runs until CONNECTIONS connections are done; this only caps it on a
 * machine so loaded that it could not finish (the frame count check then says so).
 */
const FUZZ_BUDGET_MS = 45_000
const PARALLEL = 8
const ENV = { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), ROOM_IDLE_MS: '300', COMPACT_AFTER_UPDATES: '100000' }
/** Close codes a fuzzed connection may legitimately end with: ours for bad input (a flipped bit can make a valid update one that does not fit the board: 4422), or a normal close we started (4426 only for a bad ?protocol=). */
const EXPECTED_CLOSES = new Set([Close.badMessage.code, Close.messageTooLarge.code, Close.invalidUpdate.code, 1000, 1005])

/** ?protocol= values a connection may send, and whether docs/api.md says it is served or closed with 4426. */
const PROTOCOL_VALUES: Record<string, 'served' | 'too-old'> = {
  '1': 'served',
  [String(PROTOCOL_VERSION + 1)]: 'served',
  '99999999999999999999': 'served',
  '0': 'too-old',
  '': 'too-old',
  '-1': 'too-old',
  abc: 'too-old',
  '1e3': 'too-old',
  '%FF': 'too-old',
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

/** A would-be participant whose well-formed frames the fuzzer mutates. */
class FuzzPeer {
  readonly doc = new Y.Doc()
  readonly awareness = new Awareness(this.doc)
  private readonly updates: Uint8Array[] = []
  private notes = 0

  constructor(private readonly rng: Rng) {
    this.doc.on('update', (update: Uint8Array) => this.updates.push(update))
  }

  /** One valid frame of any kind the protocol allows from a client. */
  validFrame(): Uint8Array {
    const rng = this.rng
    switch (rng.int(0, 4)) {
      case 0:
        return frame((e) => {
          encoding.writeVarUint(e, MessageType.Sync)
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc))
        })
      case 1:
      case 2: {
        const id = `shape:fuzz-${this.doc.clientID}-${rng.int(0, this.notes)}`
        this.doc.transact(() => {
          if (rng.chance(0.2)) getRecordsMap(this.doc).delete(id)
          else putRecord(getRecordsMap(this.doc), noteRecord(id, rng.int(-1e6, 1e6), rng.int(-1e6, 1e6), 'f'.repeat(rng.int(0, 300))))
        })
        this.notes++
        const update = rng.chance(0.3) ? Y.encodeStateAsUpdate(this.doc) : (this.updates.at(-1) ?? Y.encodeStateAsUpdate(this.doc))
        return frame((e) => {
          encoding.writeVarUint(e, MessageType.Sync)
          encoding.writeVarUint(e, rng.pick([1, 2]))
          encoding.writeVarUint8Array(e, update)
        })
      }
      case 3:
        this.awareness.setLocalState({ user: { name: `fuzz ${rng.int(0, 99)}` }, cursor: { x: rng.next(), y: rng.next() } })
        return frame((e) => {
          encoding.writeVarUint(e, MessageType.Awareness)
          encoding.writeVarUint8Array(e, encodeAwarenessUpdate(this.awareness, [this.doc.clientID]))
        })
      default:
        return frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness))
    }
  }

  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }
}

type FuzzFrame = { kind: string; data: Uint8Array | string }

/** One malformed (or, sometimes, valid) frame, chosen by `rng`. */
function fuzzFrame(rng: Rng, peer: FuzzPeer): FuzzFrame {
  const roll = rng.int(0, 99)
  if (roll < 10) return { kind: 'ff-run', data: new Uint8Array(rng.int(1, 40)).fill(0xff) }
  if (roll < 22) {
    const valid = peer.validFrame()
    return { kind: 'truncated', data: valid.slice(0, rng.int(0, Math.max(0, valid.length - 1))) }
  }
  if (roll < 30) {
    const type = rng.pick([2, 4, 5, 99, 100, 101, 127, 128, 16384, 2 ** 31, 2 ** 50])
    return { kind: 'wrong-type', data: frame((e) => { encoding.writeVarUint(e, type); encoding.writeUint8Array(e, rng.bytes(rng.int(0, 20))) }) }
  }
  if (roll < 35) {
    return { kind: 'wrong-sync-type', data: frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, rng.int(3, 300)); encoding.writeUint8Array(e, rng.bytes(rng.int(0, 20))) }) }
  }
  if (roll < 45) {
    const outer = rng.pick([[MessageType.Sync, 0], [MessageType.Sync, 1], [MessageType.Sync, 2], [MessageType.Awareness]])
    const claimed = rng.pick([2 ** 31, 2 ** 32 - 1, 2 ** 40, Number.MAX_SAFE_INTEGER, MAX_MESSAGE_BYTES * 4, 1_000_000])
    return { kind: 'huge-length', data: frame((e) => { for (const v of outer) encoding.writeVarUint(e, v); encoding.writeVarUint(e, claimed); encoding.writeUint8Array(e, rng.bytes(rng.int(0, 64))) }) }
  }
  if (roll < 55) return { kind: 'random', data: rng.bytes(rng.int(1, 300)) }
  if (roll < 75) {
    const data = peer.validFrame().slice()
    for (let flips = rng.int(1, 4); flips > 0; flips--) data[rng.int(0, data.length - 1)] ^= 1 << rng.int(0, 7)
    return { kind: 'bit-flip', data }
  }
  if (roll < 79) return { kind: 'empty', data: new Uint8Array(0) }
  if (roll < 83) return { kind: 'text', data: rng.pick(['', 'hello', '\u0000\u0001', '{"type":"sync"}', 'x'.repeat(rng.int(1, 500))]) }
  if (roll < 84) return { kind: 'oversized', data: rng.bytes(MAX_MESSAGE_BYTES + rng.int(1, 1024)) }
  // Sometimes a real frame, so connections live long enough to see the next bad one.
  return { kind: 'valid', data: peer.validFrame() }
}

/** An honest participant moving and recolouring its own notes. */
function startHonest(client: TestClient, name: string, rng: Rng, isRunning: () => boolean): Map<string, PlainRecord> {
  const mine = new Map<string, PlainRecord>()
  const tick = () => {
    if (!isRunning()) return
    const records = getRecordsMap(client.doc)
    if (mine.size < 10 || rng.chance(0.1)) {
      const note = noteRecord(`shape:${name}-${mine.size}`, rng.int(0, 1000), rng.int(0, 1000), `${name} says ${mine.size}`)
      mine.set(note.id, note)
      putRecord(records, note)
    } else {
      const note = rng.pick(Array.from(mine.values()))
      note.x = rng.int(0, 1000)
      note.props = { ...(note.props as object), color: rng.pick(['yellow', 'blue', 'green', 'red']) }
      putRecord(records, note)
    }
    setTimeout(tick, rng.int(10, 50))
  }
  tick()
  return mine
}

describe(`protocol fuzz (FAULT_SEED=${SEED})`, () => {
  const servers: FixedPortServer[] = []
  const clients: TestClient[] = []
  const peers: FuzzPeer[] = []
  let editing = false

  afterAll(async () => {
    editing = false
    for (const peer of peers) peer.destroy()
    for (const client of clients) client.destroy()
    for (const server of servers) await server.kill9()
  })

  it('keeps the server up, honest people in sync, and both boards loadable after restarts', async () => {
    const rng = createRng(SEED)
    let server = await startFixedPortServer({ env: ENV })
    servers.push(server)
    const hot = await createBoard(server.url, 'Under fire')
    const cold = await createBoard(server.url, 'Cold board under fire')
    const connect = (boardId: string) => {
      const client = connectClient(server.wsUrl, boardId)
      clients.push(client)
      return client
    }
    const ana = connect(hot.id)
    const bram = connect(hot.id)
    await Promise.all([ana.synced, bram.synced])
    const honestCloses: unknown[] = []
    for (const c of [ana, bram]) c.provider.on('connection-close', (event) => honestCloses.push(event?.code))
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana' })
    editing = true
    const anaNotes = startHonest(ana, 'ana', createRng(SEED + 1), () => editing)
    const bramNotes = startHonest(bram, 'bram', createRng(SEED + 2), () => editing)

    const closes = new Map<string, number>()
    const unexpected: string[] = []
    const sentByKind = new Map<string, number>()
    let framesSent = 0
    let connectionsMade = 0
    let maxHealthMs = 0
    const deadline = Date.now() + FUZZ_BUDGET_MS

    const fuzzConnection = async (n: number) => {
      const connRng = createRng(SEED * 7919 + n)
      const peer = new FuzzPeer(connRng)
      peers.push(peer)
      const board = connRng.chance(0.7) ? hot : cold
      const boardId = board.id
      // Mostly a real link of any role; sometimes none, or one that opens nothing.
      const linkKey = connRng.chance(0.9) ? board.keys[connRng.pick(['facilitator', 'interpreter', 'participant', 'viewer'] as const)] : connRng.chance(0.5) ? '' : 'x'.repeat(22)
      // Some connections declare our protocol (and get a hello first), some a version that is garbage or too old.
      const protocol = connRng.chance(0.7) ? null : connRng.pick(Object.keys(PROTOCOL_VALUES))
      const tooOld = protocol !== null && PROTOCOL_VALUES[protocol] === 'too-old'
      const sock = rawSocket(`${server.wsUrl}/${boardId}?key=${linkKey}${protocol === null ? '' : `&${PROTOCOL_PARAM}=${protocol}`}`)
      connectionsMade++
      const kinds: string[] = []
      if (await sock.opened) {
        for (let i = connRng.int(1, 30); i > 0 && sock.ws.readyState === sock.ws.OPEN; i--) {
          const f = fuzzFrame(connRng, peer)
          kinds.push(f.kind)
          sentByKind.set(f.kind, (sentByKind.get(f.kind) ?? 0) + 1)
          framesSent++
          sock.ws.send(f.data, { binary: typeof f.data !== 'string' })
          if (connRng.chance(0.2)) await sleep(connRng.int(0, 20))
        }
        await Promise.race([sock.closed, sleep(connRng.int(20, 200))])
      }
      sock.close()
      const end: RawClose = await Promise.race([sock.closed, sleep(6000).then(() => ({ code: -1, reason: 'no close within 6 s', byUs: true }))])
      const key = `${end.code}${end.reason ? ` ${end.reason}` : ''}`
      closes.set(key, (closes.get(key) ?? 0) + 1)
      // Without a key, or with one that opens nothing, the connection learns only that (or trips ws' own size limit first).
      const refusedWith = linkKey === '' ? Close.unauthorized.code : board.keys.participant && !Object.values(board.keys).includes(linkKey) ? Close.forbidden.code : null
      const expected = tooOld
        ? end.code === Close.protocolTooOld.code
        : refusedWith !== null
          ? [refusedWith, Close.messageTooLarge.code, Close.badMessage.code, 1000, 1005].includes(end.code)
          : EXPECTED_CLOSES.has(end.code)
      if (!expected) unexpected.push(`connection ${n} (${boardId === hot.id ? 'hot' : 'cold'}, protocol ${protocol}): ${key} after ${kinds.join(',')}`)
      peer.destroy()
    }

    let next = 0
    const lanes = Array.from({ length: PARALLEL }, async () => {
      while (next < CONNECTIONS && Date.now() < deadline) await fuzzConnection(next++)
    })
    const healthLane = (async () => {
      while (next < CONNECTIONS && Date.now() < deadline) {
        const started = Date.now()
        const h = await health(server.url)
        maxHealthMs = Math.max(maxHealthMs, Date.now() - started)
        expect(h.ok).toBe(true)
        await sleep(200)
      }
    })()
    await Promise.all([...lanes, healthLane])
    const context = `FAULT_SEED=${SEED}: ${connectionsMade} connections, ${framesSent} frames ${JSON.stringify(Object.fromEntries(sentByKind))}`
    const fuzzErrors = server.stderr().split('\n').filter((line) => line.includes('"level":"error"'))
    console.info(
      `protocol fuzz: ${context}; closes ${JSON.stringify(Object.fromEntries(closes))}; slowest /healthz ${maxHealthMs} ms; ` +
        `${fuzzErrors.length} error log lines during the fuzz${fuzzErrors.length ? `, first: ${fuzzErrors[0].slice(0, 300)}` : ''}`,
    )

    expect(server.proc.exitCode, `server exited during the fuzz (${context})\n${server.stderr().slice(-3000)}`).toBeNull()
    expect(server.proc.signalCode).toBeNull()
    expect((await health(server.url)).ok).toBe(true)
    expect(unexpected, `connections closed with a code that is not ours (${context})`).toEqual([])
    expect(framesSent, context).toBeGreaterThan(3000)
    expect(honestCloses, 'honest clients were disconnected by someone else\'s garbage').toEqual([])

    // Honest people converge, and each sees the other's latest notes.
    editing = false
    const sameEdits = () =>
      missingFrom(Y.encodeStateVector(ana.doc), Y.encodeStateVector(bram.doc)).length === 0 &&
      missingFrom(Y.encodeStateVector(bram.doc), Y.encodeStateVector(ana.doc)).length === 0
    await waitFor(sameEdits, `Ana and Bram to converge (${context})`, 15_000).catch((error: Error) => {
      // Say exactly what diverged, so a failing seed can be diagnosed from the CI log alone.
      const pending = (doc: Y.Doc) => (doc.store.pendingStructs ? Array.from(doc.store.pendingStructs.missing.entries()) : [])
      throw new Error(
        `${error.message}\nAna lacks ${JSON.stringify(missingFrom(Y.encodeStateVector(ana.doc), Y.encodeStateVector(bram.doc)))}` +
          `\nBram lacks ${JSON.stringify(missingFrom(Y.encodeStateVector(bram.doc), Y.encodeStateVector(ana.doc)))}` +
          `\npending structs: Ana ${JSON.stringify(pending(ana.doc))}, Bram ${JSON.stringify(pending(bram.doc))}` +
          `\nconnected: Ana ${ana.provider.wsconnected}/${ana.provider.synced}, Bram ${bram.provider.wsconnected}/${bram.provider.synced}`,
      )
    })
    const board = recordsJson(ana.doc)
    expect(recordsJson(bram.doc)).toBe(board)
    const expectNotes = (doc: Y.Doc, where: string) => {
      for (const note of [...anaNotes.values(), ...bramNotes.values()]) {
        const stored = getRecordsMap(doc).get(note.id)
        expect({ id: note.id, x: stored?.get('x'), color: (stored?.get('props') as Y.Map<unknown> | undefined)?.get('color') }, where).toEqual({
          id: note.id,
          x: note.x,
          color: (note.props as { color: string }).color,
        })
      }
    }
    expectNotes(bram.doc, 'Bram sees Ana\'s and his own latest notes')

    // Whatever the fuzz got stored must not stop the boards from loading: first
    // from the raw log (kill -9), then from the snapshot written at shutdown.
    ana.destroy()
    bram.destroy()
    for (const restart of ['kill -9', 'SIGTERM'] as const) {
      if (restart === 'kill -9') await server.kill9()
      else expect(await server.stop(), `exit code on SIGTERM after the fuzz\n${server.stderr().slice(-3000)}`).toBe(0)
      server = await startFixedPortServer({ dataDir: server.dataDir, port: server.port, env: ENV })
      servers.push(server)
      const reader = connect(hot.id)
      const coldReader = connect(cold.id)
      const loaded = (c: TestClient) => Promise.race([c.synced.then(() => 'synced'), c.closed.then((e) => `closed ${e.code} ${e.reason}`)])
      expect(await loaded(reader), `hot board loads after ${restart} (${context})`).toBe('synced')
      expect(await loaded(coldReader), `cold board loads after ${restart} (${context})`).toBe('synced')
      expect(recordsJson(reader.doc), `hot board after ${restart} equals what Ana and Bram had`).toBe(board)
      expectNotes(reader.doc, `notes after ${restart}`)
      expect(getRecordsMap(coldReader.doc).has('page:page'), `cold board still has its page after ${restart}`).toBe(true)
      reader.destroy()
      coldReader.destroy()
    }
    const errors = server.stderr().split('\n').filter((line) => line.includes('"level":"error"'))
    expect(errors, 'error log lines after the restarts').toEqual([])
  }, 120_000)
})
