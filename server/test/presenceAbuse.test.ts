/**
 * Issue #12, findings 4 and 5: a participant with a raw websocket must not be
 * able to break presence for the others. Each attack is replayed exactly as
 * reported, against a real server, with stock y-websocket clients as the
 * honest people in the room.
 */
import fs from 'node:fs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { MessageType, type StatusNotice } from '../../shared/protocol'
import { decodeStatusFrame } from '../../shared/statusFrame'
import { connectClient, createBoard, startServer, syncUrl, waitFor, type TestClient, type TestServer } from '../test-utils/startServer'

const MB = 1_000_000

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error('no VmRSS')
  return Number(match[1]) * 1024
}

interface Entry {
  clientID: number
  clock: number
  /** The state's JSON, as it goes on the wire ('null' removes). */
  json: string
}

/** An awareness frame as a client sends it, with whatever entries the attacker likes. */
function awarenessFrame(entries: Iterable<Entry>, count: number): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, count)
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientID)
    encoding.writeVarUint(inner, entry.clock)
    encoding.writeVarString(inner, entry.json)
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, MessageType.Awareness)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

/** A participant's link opened with a plain websocket: sends what it likes, reads what the server says. */
class Attacker {
  readonly ws: WebSocket
  readonly opened: Promise<void>
  closedWith: { code: number; reason: string } | undefined
  readonly notices: StatusNotice[] = []
  /** Client ids (with their state's byte length) of every presence frame received, counted without parsing the JSON. */
  private awarenessReplies: Map<number, number>[] = []

  constructor(url: string) {
    this.ws = new WebSocket(url)
    this.ws.on('error', () => {})
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()))
    this.ws.on('close', (code, reason) => (this.closedWith = { code, reason: reason.toString() }))
    this.ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data)
      const decoder = decoding.createDecoder(bytes)
      const type = decoding.readVarUint(decoder)
      if (type === MessageType.Status) {
        const notice = decodeStatusFrame(bytes)
        if (notice) this.notices.push(notice)
      } else if (type === MessageType.Awareness) {
        const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
        const states = new Map<number, number>()
        const count = decoding.readVarUint(update)
        for (let i = 0; i < count; i++) {
          const id = decoding.readVarUint(update)
          decoding.readVarUint(update)
          states.set(id, decoding.readVarUint8Array(update).length)
        }
        this.awarenessReplies.push(states)
      }
    })
  }

  send(frame: Uint8Array): void {
    this.ws.send(frame)
  }

  /**
   * The server's whole presence as it stands after everything sent so far: frames
   * from one socket are handled in order, so the answer to a query comes after them.
   * Told apart from the relay's batched frames (which carry only what changed) by
   * holding everyone in `present`.
   */
  async serverPresence(present: number[]): Promise<Map<number, number>> {
    const before = this.awarenessReplies.length
    const query = encoding.createEncoder()
    encoding.writeVarUint(query, MessageType.QueryAwareness)
    this.ws.send(encoding.toUint8Array(query))
    const answer = () => this.awarenessReplies.slice(before).find((states) => present.every((id) => states.has(id)))
    return (await waitFor(answer, 'the answer to a presence query', 15_000))!
  }

  close(): void {
    this.ws.terminate()
  }
}

interface Person extends TestClient {
  closedWith: { code: number; reason: string } | undefined
}

function person(server: TestServer, boardId: string, name: string): Person {
  const client = connectClient(server.wsUrl, boardId) as Person
  client.closed.then((event) => (client.closedWith = event))
  client.provider.awareness.setLocalState({ user: { name }, signal: { hand: 1_700_000_000_000, reaction: null } })
  return client
}

function nameOf(observer: TestClient, clientID: number): unknown {
  return (observer.provider.awareness.getStates().get(clientID) as { user?: { name?: unknown } } | undefined)?.user?.name
}

function handOf(observer: TestClient, clientID: number): unknown {
  return (observer.provider.awareness.getStates().get(clientID) as { signal?: { hand?: unknown } } | undefined)?.signal?.hand
}

function clockOf(client: TestClient): number {
  return client.provider.awareness.meta.get(client.provider.awareness.clientID)!.clock
}

/** An id no stock client has (they are 32-bit). */
let nextAttackerId = 2 ** 33

describe('presence cannot be used to break a board (issue #12, findings 4 and 5)', () => {
  let server: TestServer
  let boardId: string
  let ana: Person
  let bram: Person
  const attackers: Attacker[] = []

  async function attacker(): Promise<Attacker> {
    const a = new Attacker(syncUrl(server.wsUrl, boardId))
    attackers.push(a)
    await a.opened
    // Admitted: the server has greeted it with who is present (so that answer is not taken for a later one).
    await a.serverPresence(honestIds())
    return a
  }

  const honestIds = () => [ana.provider.awareness.clientID, bram.provider.awareness.clientID]

  /** The server's presence after what `mallory` sent; fails saying so when Ana or Bram are no longer in it. */
  async function presenceAfter(mallory: Attacker): Promise<Map<number, number>> {
    try {
      return await mallory.serverPresence(honestIds())
    } catch (error) {
      const closes = `Ana closed with ${JSON.stringify(ana.closedWith)}, Bram with ${JSON.stringify(bram.closedWith)}, the attacker with ${JSON.stringify(mallory.closedWith)}`
      throw new Error(`the server's presence no longer holds Ana and Bram (${String(error)}); ${closes}`)
    }
  }

  /** Both see each other as they really are, and neither was closed. */
  async function honestPresenceIntact(): Promise<void> {
    await waitFor(() => nameOf(bram, ana.provider.awareness.clientID) === 'Ana' && nameOf(ana, bram.provider.awareness.clientID) === 'Bram', 'Ana and Bram to see each other')
    expect(ana.closedWith).toBeUndefined()
    expect(bram.closedWith).toBeUndefined()
    expect(ana.provider.wsconnected && bram.provider.wsconnected).toBe(true)
  }

  beforeAll(async () => {
    // Defaults as deployed (16 MiB frames, 8 MiB send buffer), as in the report.
    server = await startServer()
    boardId = (await createBoard(server.url)).id
    ana = person(server, boardId, 'Ana')
    bram = person(server, boardId, 'Bram')
    await Promise.all([ana.synced, bram.synced])
    await honestPresenceIntact()
  })
  afterAll(async () => {
    for (const a of attackers) a.close()
    ana?.destroy()
    bram?.destroy()
    await server?.stop()
  })

  it('4a: two frames of one 9 MB state under a new client id reach nobody and close nobody', async () => {
    const mallory = await attacker()
    const big = JSON.stringify({ user: { name: 'x'.repeat(9 * MB) } })
    const ids = [nextAttackerId++, nextAttackerId++]
    const received: number[] = []
    const onChange = ({ added, updated }: { added: number[]; updated: number[] }) => received.push(...added.filter((id) => ids.includes(id)), ...updated.filter((id) => ids.includes(id)))
    for (const observer of [ana, bram]) observer.provider.awareness.on('change', onChange)
    try {
      for (const clientID of ids) mallory.send(awarenessFrame([{ clientID, clock: 1, json: big }], 1))
      const seen = await presenceAfter(mallory)
      for (const id of ids) expect(seen.has(id)).toBe(false)
      // Long enough for several flushes (at most 20 ms apart) to have gone out and 18 MB to cross loopback.
      await new Promise((resolve) => setTimeout(resolve, 1500))
    } finally {
      for (const observer of [ana, bram]) observer.provider.awareness.off('change', onChange)
    }
    expect(received).toEqual([])
    await honestPresenceIntact()
    expect(mallory.notices).toContainEqual({ kind: 'refused', reason: 'presence-too-large' })
    // Told once per connection, not once per frame.
    expect(mallory.notices.filter((n) => n.kind === 'refused' && n.reason === 'presence-too-large')).toHaveLength(1)
  })

  it('4b: 20 frames of 50,000 client ids leave at most a few states for that socket and server memory bounded', async () => {
    const mallory = await attacker()
    const rssBefore = rssBytes(server.proc.pid!)
    const honest = new Set([ana.provider.awareness.clientID, bram.provider.awareness.clientID])
    const sent = new Set<number>()
    for (let f = 0; f < 20; f++) {
      const entries: Entry[] = []
      for (let i = 0; i < 50_000; i++) {
        const clientID = nextAttackerId++
        sent.add(clientID)
        entries.push({ clientID, clock: 1, json: '{"user":{"name":"spam"}}' })
      }
      mallory.send(awarenessFrame(entries, entries.length))
    }
    const seen = await presenceAfter(mallory)
    const attackerStates = Array.from(seen.keys()).filter((id) => sent.has(id))
    // The per-socket limit (default 4) is the most any one socket may hold.
    expect(attackerStates.length).toBeLessThanOrEqual(4)
    expect(Array.from(seen.keys()).filter((id) => !honest.has(id))).toEqual([])
    const growth = rssBytes(server.proc.pid!) - rssBefore
    expect(growth, `server RSS grew by ${(growth / MB).toFixed(0)} MB`).toBeLessThan(80 * MB)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(Array.from(bram.provider.awareness.getStates().keys()).filter((id) => sent.has(id)).length).toBeLessThanOrEqual(4)
    await honestPresenceIntact()
    expect(mallory.notices).toContainEqual({ kind: 'refused', reason: 'presence-frame-too-large' })
  })

  it('4b, in frames small enough to be read: 20 frames of 1,000 new client ids give that socket exactly 4', async () => {
    const mallory = await attacker()
    const sent = new Set<number>()
    for (let f = 0; f < 20; f++) {
      const entries: Entry[] = []
      for (let i = 0; i < 1000; i++) {
        const clientID = nextAttackerId++
        sent.add(clientID)
        entries.push({ clientID, clock: 1, json: '{"user":{"name":"spam"}}' })
      }
      mallory.send(awarenessFrame(entries, entries.length))
    }
    const seen = await presenceAfter(mallory)
    expect(Array.from(seen.keys()).filter((id) => sent.has(id))).toHaveLength(4)
    expect(mallory.notices).toEqual([{ kind: 'refused', reason: 'presence-too-many-clients' }])
    await waitFor(() => Array.from(bram.provider.awareness.getStates().keys()).filter((id) => sent.has(id)).length === 4, "Bram to see the attacker's 4")
    // They go with the socket.
    mallory.close()
    await waitFor(() => !Array.from(bram.provider.awareness.getStates().keys()).some((id) => sent.has(id)), "the attacker's states to go when it leaves")
    await honestPresenceIntact()
  })

  it("5a: an entry under another person's client id with a higher clock changes nothing others see of them", async () => {
    const mallory = await attacker()
    const anaId = ana.provider.awareness.clientID
    await waitFor(() => handOf(bram, anaId) === 1_700_000_000_000, "Bram to see Ana's raised hand")
    mallory.send(
      awarenessFrame([{ clientID: anaId, clock: clockOf(ana) + 100, json: JSON.stringify({ user: { name: 'Mallory' }, signal: { hand: null, reaction: null } }) }], 1),
    )
    const seen = await presenceAfter(mallory)
    expect(seen.get(anaId)).toBeDefined()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(nameOf(bram, anaId)).toBe('Ana')
    expect(handOf(bram, anaId)).toBe(1_700_000_000_000)
    // Ana still controls her own presence (her clock stayed below the forged one).
    ana.provider.awareness.setLocalStateField('signal', { hand: null, reaction: null })
    await waitFor(() => handOf(bram, anaId) === null, "Bram to see Ana's lowered hand")
    ana.provider.awareness.setLocalStateField('signal', { hand: 1_700_000_000_000, reaction: null })
    await waitFor(() => handOf(bram, anaId) === 1_700_000_000_000, "Bram to see Ana's hand raised again")
    expect(nameOf(bram, anaId)).toBe('Ana')
    expect(mallory.notices).toContainEqual({ kind: 'refused', reason: 'presence-not-yours' })
  })

  it("5b: a null state for another person's client id does not remove them", async () => {
    const mallory = await attacker()
    const anaId = ana.provider.awareness.clientID
    // A stock client puts itself back at once when told it was removed, so the attack shows as
    // Ana leaving and coming back (her cursor and hand gone for everyone in between; repeated, for good).
    const removals: number[] = []
    const onChange = ({ removed }: { removed: number[] }) => removals.push(...removed)
    bram.provider.awareness.on('change', onChange)
    try {
      // The same clock (y-protocols' removal rule) and a higher one.
      mallory.send(awarenessFrame([{ clientID: anaId, clock: clockOf(ana), json: 'null' }], 1))
      mallory.send(awarenessFrame([{ clientID: anaId, clock: clockOf(ana) + 1000, json: 'null' }], 1))
      const seen = await presenceAfter(mallory)
      expect(seen.has(anaId)).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 200))
    } finally {
      bram.provider.awareness.off('change', onChange)
    }
    expect(removals).not.toContain(anaId)
    expect(bram.provider.awareness.getStates().has(anaId)).toBe(true)
    expect(nameOf(bram, anaId)).toBe('Ana')
    await honestPresenceIntact()
  })

  it("frees a person's client id when they leave, and takes back whatever an attacker held", async () => {
    const mallory = await attacker()
    const mine = nextAttackerId++
    mallory.send(awarenessFrame([{ clientID: mine, clock: 1, json: '{"user":{"name":"Mallory"}}' }], 1))
    await waitFor(() => nameOf(bram, mine) === 'Mallory', "Bram to see Mallory's own (allowed) presence")
    mallory.close()
    await waitFor(() => !bram.provider.awareness.getStates().has(mine), "Mallory's presence to go when she leaves")
    await honestPresenceIntact()
  })
})
