import { describe, expect, it, vi } from 'vitest'
import * as decoding from 'lib0/decoding'
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MAX_PRESENCE_INTERVAL_MS, MIN_PRESENCE_INTERVAL_MS, PresenceRelay, presenceInterval, ROOM_PRESENCE_SENDS_PER_SECOND } from './PresenceRelay'
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
