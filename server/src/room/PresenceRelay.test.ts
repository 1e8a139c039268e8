import { describe, expect, it } from 'vitest'
import { MAX_PRESENCE_INTERVAL_MS, MIN_PRESENCE_INTERVAL_MS, presenceInterval, ROOM_PRESENCE_SENDS_PER_SECOND } from './PresenceRelay'

describe('presence flush interval', () => {
  it('is short for a workshop table and grows with the room, within bounds', () => {
    expect(presenceInterval(1)).toBe(MIN_PRESENCE_INTERVAL_MS)
    expect(presenceInterval(25)).toBe(5)
    expect(presenceInterval(50)).toBe(10)
    expect(presenceInterval(100)).toBe(20)
    expect(presenceInterval(200)).toBe(MAX_PRESENCE_INTERVAL_MS)
    expect(presenceInterval(5000)).toBe(MAX_PRESENCE_INTERVAL_MS)
  })

  it('keeps every client under a fixed number of frames per second, and a room of up to 150 under its total', () => {
    for (let n = 1; n <= 1000; n++) {
      const perClient = 1000 / presenceInterval(n)
      expect(perClient).toBeLessThanOrEqual(1000 / MIN_PRESENCE_INTERVAL_MS)
      if (n <= 150) expect(perClient * n).toBeLessThanOrEqual(ROOM_PRESENCE_SENDS_PER_SECOND + 1e-6)
    }
  })
})
