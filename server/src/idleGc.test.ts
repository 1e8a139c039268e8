import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { collectGarbageNow, createIdleCollector } from './idleGc'

describe('idle garbage collection', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('collects at once when the process becomes idle, and once more after the settle delay if it still is', async () => {
    const phases: string[] = []
    const collector = createIdleCollector(() => true, (phase) => phases.push(phase), 30)
    collector.becameIdle()
    expect(phases).toEqual(['at-idle'])
    await vi.advanceTimersByTimeAsync(29)
    expect(phases).toEqual(['at-idle'])
    await vi.advanceTimersByTimeAsync(1)
    expect(phases).toEqual(['at-idle', 'settled'])
  })

  it('skips the settled collection when work came back in the meantime, and stop() cancels it', async () => {
    const phases: string[] = []
    let idle = true
    const busyAgain = createIdleCollector(() => idle, (phase) => phases.push(phase), 30)
    busyAgain.becameIdle()
    idle = false
    const stopped = createIdleCollector(() => true, (phase) => phases.push(`stopped:${phase}`), 30)
    stopped.becameIdle()
    stopped.stop()
    await vi.advanceTimersByTimeAsync(100)
    expect(phases).toEqual(['at-idle', 'stopped:at-idle'])
  })

  it('becoming idle again restarts the settle delay instead of stacking collections', async () => {
    const phases: string[] = []
    const collector = createIdleCollector(() => true, (phase) => phases.push(phase), 40)
    collector.becameIdle()
    await vi.advanceTimersByTimeAsync(20)
    collector.becameIdle()
    await vi.advanceTimersByTimeAsync(30)
    expect(phases).toEqual(['at-idle', 'at-idle'])
    await vi.advanceTimersByTimeAsync(100)
    expect(phases).toEqual(['at-idle', 'at-idle', 'settled'])
  })

  it('really collects on this runtime (Node exposes gc at run time)', () => {
    expect(collectGarbageNow()).toBe(true)
  })
})
