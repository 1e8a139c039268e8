import { describe, expect, it } from 'vitest'
import { bestOffset, sampleOffset } from './clock'
import { addMinute, MAX_TIMER_MS, parseSummon, parseTimer, pauseTimer, resetTimer, setTimer, startTimer, timerRemaining } from './session'

describe('timer', () => {
  it('counts down from its duration once started, pauses and resumes where it was', () => {
    const set = setTimer(5 * 60_000)
    expect(timerRemaining(set, 1_000)).toBe(300_000)
    const running = startTimer(set, 10_000)
    expect(running.endsAt).toBe(310_000)
    expect(timerRemaining(running, 70_000)).toBe(240_000)
    const paused = pauseTimer(running, 70_000)
    expect(paused).toEqual({ durationMs: 300_000, endsAt: null, remainingMs: 240_000 })
    expect(timerRemaining(paused, 999_999)).toBe(240_000)
    expect(startTimer(paused, 100_000).endsAt).toBe(340_000)
    expect(startTimer(running, 50_000)).toBe(running) // already running
    // A reader whose server-clock estimate is a little behind the starter's never sees more than was set.
    expect(timerRemaining(running, 9_999)).toBe(300_000)
  })

  it('never goes below zero, and starts again from its duration after reaching it', () => {
    const running = startTimer(setTimer(60_000), 0)
    expect(timerRemaining(running, 90_000)).toBe(0)
    const ended = pauseTimer(running, 90_000)
    expect(ended.remainingMs).toBe(0)
    expect(startTimer(ended, 100_000).endsAt).toBe(160_000)
  })

  it('adds a minute running or paused, and resets to the duration', () => {
    const running = startTimer(setTimer(120_000), 0)
    expect(timerRemaining(addMinute(running, 30_000), 30_000)).toBe(150_000)
    // A timer that already ended gets one minute from now.
    expect(timerRemaining(addMinute(running, 500_000), 500_000)).toBe(60_000)
    expect(addMinute(setTimer(120_000), 0).remainingMs).toBe(180_000)
    expect(resetTimer(addMinute(running, 30_000))).toEqual(setTimer(120_000))
    expect(setTimer(-5).durationMs).toBe(0)
    expect(setTimer(10 * MAX_TIMER_MS).durationMs).toBe(MAX_TIMER_MS)
  })

  it('reads a stored timer only when it is well formed', () => {
    expect(parseTimer({ durationMs: 1000, endsAt: null, remainingMs: 1000 })).toEqual({ durationMs: 1000, endsAt: null, remainingMs: 1000 })
    expect(parseTimer({ durationMs: 1000, endsAt: 5, remainingMs: 1000 })?.endsAt).toBe(5)
    for (const bad of [null, 'x', { durationMs: -1, endsAt: null, remainingMs: 0 }, { durationMs: 1, endsAt: 'soon', remainingMs: 1 }, { durationMs: 1, remainingMs: 1 }, { durationMs: 1e12, endsAt: null, remainingMs: 1 }]) {
      expect(parseTimer(bad)).toBeUndefined()
    }
    expect(parseSummon({ id: 's', at: 1, pageId: 'page:page', x: 1, y: 2, z: 0 })).toBeUndefined()
    expect(parseSummon({ id: 's', at: 1, pageId: 'page:page', x: 1, y: 2, z: 1, by: 'Fien' })).toMatchObject({ x: 1, y: 2, z: 1 })
  })
})

describe('clock skew', () => {
  it('estimates the offset from the middle of the round trip', () => {
    // Local clock 5 s behind the server; 100 ms round trip, symmetric.
    expect(sampleOffset({ sentAt: 1_000, receivedAt: 1_100, serverTime: 6_050 })).toEqual({ offset: 5_000, rtt: 100 })
  })

  it('trusts the sample with the shortest round trip', () => {
    const trueOffset = -120_000 // this browser is two minutes fast
    const samples = [
      { sentAt: 0, receivedAt: 900, serverTime: 800 + trueOffset }, // slow and asymmetric
      { sentAt: 2_000, receivedAt: 2_040, serverTime: 2_020 + trueOffset },
      { sentAt: 3_000, receivedAt: 3_400, serverTime: 3_050 + trueOffset },
    ]
    expect(bestOffset(samples)).toBe(trueOffset)
    expect(bestOffset([])).toBe(0)
    expect(bestOffset([{ sentAt: 10, receivedAt: 5, serverTime: 0 }])).toBe(0) // a clock that jumped back
  })

  it('makes two browsers with different clocks agree on a countdown', () => {
    const serverNow = 1_000_000
    const fast = { clock: serverNow + 90_000, offset: -90_000 }
    const slow = { clock: serverNow - 45_000, offset: 45_000 }
    const timer = startTimer(setTimer(300_000), fast.clock + fast.offset) // started by the fast browser
    expect(timerRemaining(timer, slow.clock + slow.offset)).toBe(300_000)
    expect(timerRemaining(timer, fast.clock + fast.offset + 1_000)).toBe(299_000)
  })
})
