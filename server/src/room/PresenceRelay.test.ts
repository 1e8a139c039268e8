import { describe, expect, it, vi } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  DEFAULT_PRESENCE_LIMITS,
  FORGET_DEPARTED_MS,
  MAX_PRESENCE_INTERVAL_MS,
  MIN_PRESENCE_INTERVAL_MS,
  PresenceRelay,
  presenceInterval,
  ROOM_PRESENCE_SENDS_PER_SECOND,
  type PresenceLimits,
} from './PresenceRelay'
import { FakeSocket } from './testSockets'

describe('presence flush interval', () => {
  it('is short for a workshop table and grows with the room, within bounds', () => {
    expect(presenceInterval(1)).toBe(MIN_PRESENCE_INTERVAL_MS)
    expect(presenceInterval(50)).toBe((50 * 1000) / ROOM_PRESENCE_SENDS_PER_SECOND)
    expect(presenceInterval(100)).toBe((100 * 1000) / ROOM_PRESENCE_SENDS_PER_SECOND)
    expect(presenceInterval(100)).toBeGreaterThan(presenceInterval(50))
    expect(presenceInterval(1000)).toBe(MAX_PRESENCE_INTERVAL_MS)
    expect(presenceInterval(5000)).toBe(MAX_PRESENCE_INTERVAL_MS)
  })

  it('keeps every client under a fixed number of frames per second, and a room under its total until the interval reaches its cap', () => {
    for (let n = 1; n <= 1000; n++) {
      const perClient = 1000 / presenceInterval(n)
      expect(perClient).toBeLessThanOrEqual(1000 / MIN_PRESENCE_INTERVAL_MS)
      if (n <= (MAX_PRESENCE_INTERVAL_MS * ROOM_PRESENCE_SENDS_PER_SECOND) / 1000) expect(perClient * n).toBeLessThanOrEqual(ROOM_PRESENCE_SENDS_PER_SECOND + 1e-6)
    }
  })
})

describe('presence budget', () => {
  /** Moves one client's cursor every `everyMs` for `forMs` (on fake timers), and counts the frames the relay sends. */
  async function moveCursor(recipients: number, everyMs: number, forMs: number) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const frames: Uint8Array[] = []
    const relay = new PresenceRelay({ recipients: () => recipients }, (frame) => frames.push(frame))
    const mover = new Awareness(new Y.Doc())
    const socket = new FakeSocket()
    let moves = 0
    try {
      for (let t = 0; t < forMs; t += everyMs) {
        mover.setLocalState({ cursor: { x: ++moves, y: 0 } })
        relay.apply(socket, encodeAwarenessUpdate(mover, [mover.clientID]))
        await vi.advanceTimersByTimeAsync(everyMs)
      }
      await vi.advanceTimersByTimeAsync(MAX_PRESENCE_INTERVAL_MS + 10)
    } finally {
      vi.useRealTimers()
    }
    const seen = new Awareness(new Y.Doc())
    for (const frame of frames) {
      const decoder = decoding.createDecoder(frame)
      decoding.readVarUint(decoder)
      applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'server')
    }
    const last = (seen.getStates().get(mover.clientID) as { cursor: { x: number } } | undefined)?.cursor.x
    relay.destroy()
    mover.destroy()
    seen.destroy()
    return { frames: frames.length, moves, last }
  }

  it('sends every move at once in a table that stays within the budget', async () => {
    // 5 people, one cursor at 100 Hz: 500 frames/s in all, a twentieth of the budget.
    const { frames, moves, last } = await moveCursor(5, 10, 300)
    expect(moves).toBe(30)
    expect(frames).toBe(moves)
    expect(last).toBe(moves)
  })

  it('does not hold back a move that comes soon after the last flush while the budget allows it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      let frames = 0
      const relay = new PresenceRelay({ recipients: () => 25 }, () => frames++)
      const [ana, bram] = [new Awareness(new Y.Doc()), new Awareness(new Y.Doc())]
      const move = (who: Awareness, x: number) => {
        who.setLocalState({ cursor: { x, y: 0 } })
        relay.apply(new FakeSocket(), encodeAwarenessUpdate(who, [who.clientID]))
      }
      move(ana, 1)
      await vi.advanceTimersByTimeAsync(0)
      expect(frames).toBe(1)
      // 3 ms later (a fixed 5 ms interval would hold this one for 2 ms more).
      await vi.advanceTimersByTimeAsync(3)
      move(bram, 1)
      await vi.advanceTimersByTimeAsync(0)
      expect(frames).toBe(2)
      relay.destroy()
    } finally {
      vi.useRealTimers()
    }
  })

  it('holds and merges the moves of a crowded room, and still delivers the last one', async () => {
    // 200 people: one flush costs 200 frames, so the budget allows 50 a second (at least one per MAX_PRESENCE_INTERVAL_MS).
    const { frames, moves, last } = await moveCursor(200, 2, 400)
    expect(moves).toBe(200)
    // At most one flush per 20 ms (the budget would allow one per 20 ms too), plus the first at once.
    expect(frames).toBeLessThanOrEqual(Math.ceil(400 / MAX_PRESENCE_INTERVAL_MS) + 2)
    expect(frames).toBeGreaterThanOrEqual(Math.floor(400 / MAX_PRESENCE_INTERVAL_MS) - 2)
    expect(last).toBe(moves)
  })
})

describe('presence limits and ownership', () => {
  const limits: PresenceLimits = { maxStateBytes: 100, maxClientsPerSocket: 2, maxEntriesPerFrame: 10 }

  /** An awareness update with whatever entries a client likes (json 'null' removes). */
  function update(...entries: [clientID: number, clock: number, json: string][]): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, entries.length)
    for (const [clientID, clock, json] of entries) {
      encoding.writeVarUint(encoder, clientID)
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarString(encoder, json)
    }
    return encoding.toUint8Array(encoder)
  }

  /** The states the relay holds, as a newcomer would receive them. */
  function held(relay: PresenceRelay): Map<number, unknown> {
    const frame = relay.fullStateFrame()
    const seen = new Awareness(new Y.Doc())
    seen.setLocalState(null)
    if (frame) {
      const decoder = decoding.createDecoder(frame)
      decoding.readVarUint(decoder)
      applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'server')
    }
    const states = new Map(seen.getStates())
    seen.destroy()
    return states
  }

  function relayWith(l: PresenceLimits = limits) {
    const relay = new PresenceRelay({ fixedMs: 1000 }, () => {}, l)
    return relay
  }

  it('drops a state over the size limit without parsing it, keeps one at the limit, and says so once', () => {
    const relay = relayWith()
    const ana = new FakeSocket()
    const atLimit = JSON.stringify({ n: 'x'.repeat(100 - 8) })
    expect(atLimit.length).toBe(100)
    expect(relay.apply(ana, update([1, 1, atLimit]))).toEqual([])
    // Not JSON at all: parsing it would throw.
    expect(relay.apply(ana, update([1, 2, '{' + 'x'.repeat(200)]))).toEqual(['presence-too-large'])
    expect(relay.apply(ana, update([1, 3, '{' + 'x'.repeat(200)]))).toEqual([])
    expect(held(relay).get(1)).toEqual(JSON.parse(atLimit))
    // Ana may go on with a state within the limit.
    expect(relay.apply(ana, update([1, 4, '{"n":"small"}']))).toEqual([])
    expect(held(relay).get(1)).toEqual({ n: 'small' })
    relay.destroy()
  })

  it('lets one socket speak for at most maxClientsPerSocket client ids, also across frames and removals', () => {
    const relay = relayWith()
    const mallory = new FakeSocket()
    expect(relay.apply(mallory, update([1, 1, '{}'], [2, 1, '{}'], [3, 1, '{}'], [4, 1, '{}']))).toEqual(['presence-too-many-clients'])
    expect(Array.from(held(relay).keys()).sort()).toEqual([1, 2])
    // Removing its own does not free a slot while connected (ids cannot be churned through).
    expect(relay.apply(mallory, update([1, 2, 'null']))).toEqual([])
    expect(relay.apply(mallory, update([5, 1, '{}']))).toEqual([])
    expect(Array.from(held(relay).keys())).toEqual([2])
    expect(relay.stateCount).toBe(1)
    // Its own ids still work.
    expect(relay.apply(mallory, update([1, 3, '{"back":true}']))).toEqual([])
    expect(held(relay).get(1)).toEqual({ back: true })
    relay.destroy()
  })

  it("drops entries for another socket's client id, updates and removals alike, until that socket leaves", () => {
    const relay = relayWith()
    const [ana, mallory, bram] = [new FakeSocket(), new FakeSocket(), new FakeSocket()]
    relay.apply(ana, update([7, 3, '{"name":"Ana","hand":1}']))
    expect(relay.apply(mallory, update([7, 100, '{"name":"Mallory","hand":null}']))).toEqual(['presence-not-yours'])
    expect(relay.apply(mallory, update([7, 3, 'null'], [7, 200, 'null']))).toEqual([])
    expect(held(relay).get(7)).toEqual({ name: 'Ana', hand: 1 })
    // Ana's own next state applies (her clock is below the forged one, which was never applied).
    expect(relay.apply(ana, update([7, 4, '{"name":"Ana","hand":null}']))).toEqual([])
    expect(held(relay).get(7)).toEqual({ name: 'Ana', hand: null })
    // An echo (what a stock client sends back) is not new, so it is not a refusal either.
    expect(relay.apply(bram, update([7, 4, '{"name":"Ana","hand":null}']))).toEqual([])
    relay.removeSocket(ana)
    expect(held(relay).has(7)).toBe(false)
    // Free again: Ana reconnecting on a new socket (higher clock) takes her id back.
    const anaAgain = new FakeSocket()
    expect(relay.apply(anaAgain, update([7, 5, '{"name":"Ana"}']))).toEqual([])
    expect(held(relay).get(7)).toEqual({ name: 'Ana' })
    relay.destroy()
  })

  it("refuses the server's own client id", () => {
    const relay = relayWith()
    const serverId = (relay as unknown as { awareness: Awareness }).awareness.clientID
    expect(relay.apply(new FakeSocket(), update([serverId, 99, '{"cursor":1}']))).toEqual(['presence-not-yours'])
    expect(held(relay).size).toBe(0)
    relay.destroy()
  })

  it('drops a frame with too many entries whole, without reading them', () => {
    const relay = relayWith()
    const mallory = new FakeSocket()
    const entries = Array.from({ length: 11 }, (_, i) => [i + 1, 1, '{ not json'] as [number, number, string])
    // Truncated as well: nothing past the count is read.
    const frame = update(...entries)
    expect(relay.apply(mallory, frame.slice(0, 20))).toEqual(['presence-frame-too-large'])
    expect(relay.apply(mallory, frame)).toEqual([])
    expect(relay.stateCount).toBe(0)
    // Within the limit, the same socket goes on as usual.
    expect(relay.apply(mallory, update([1, 1, '{}']))).toEqual([])
    expect(relay.stateCount).toBe(1)
    relay.destroy()
  })

  it('does not remember removals of client ids nobody holds', () => {
    const relay = relayWith()
    const meta = (relay as unknown as { awareness: Awareness }).awareness.meta
    const before = meta.size
    relay.apply(new FakeSocket(), update([41, 5, 'null'], [42, 5, 'null']))
    expect(meta.size).toBe(before)
    relay.destroy()
  })

  it("forgets a departed socket's client ids after FORGET_DEPARTED_MS, but not one that came back", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      const relay = relayWith({ ...limits, maxClientsPerSocket: 4 })
      const meta = (relay as unknown as { awareness: Awareness }).awareness.meta
      const [mallory, ana] = [new FakeSocket(), new FakeSocket()]
      relay.apply(mallory, update([1, 1, '{}'], [2, 1, '{}'], [3, 1, '{}']))
      relay.apply(ana, update([9, 1, '{}']))
      relay.removeSocket(mallory)
      relay.removeSocket(ana)
      // A late echo of a departed state is still known to be stale.
      expect(relay.apply(new FakeSocket(), update([1, 1, '{}']))).toEqual([])
      expect(relay.stateCount).toBe(0)
      const anaAgain = new FakeSocket()
      relay.apply(anaAgain, update([9, 2, '{}']))
      await vi.advanceTimersByTimeAsync(FORGET_DEPARTED_MS + 1)
      expect([1, 2, 3].some((id) => meta.has(id))).toBe(false)
      expect(meta.has(9)).toBe(true)
      relay.destroy()
    } finally {
      vi.useRealTimers()
    }
  })

  it('applies within the default limits what a real client sends', () => {
    const relay = new PresenceRelay({ fixedMs: 1000 }, () => {})
    const ana = new Awareness(new Y.Doc())
    // ~1,000 selected shapes (31 KB): the state of a big selection in our client.
    ana.setLocalState({ presence: { selectedShapeIds: Array.from({ length: 1000 }, (_, i) => `shape:${String(i).padStart(21, 'x')}`) }, user: { name: 'Ana' } })
    expect(relay.apply(new FakeSocket(), encodeAwarenessUpdate(ana, [ana.clientID]))).toEqual([])
    expect(relay.stateCount).toBe(1)
    expect(DEFAULT_PRESENCE_LIMITS.maxStateBytes).toBe(64 * 1024)
    ana.destroy()
    relay.destroy()
  })
})
