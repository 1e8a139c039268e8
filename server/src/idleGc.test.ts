import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { collectGarbageNow, createIdleCollector, returnFreedMemory } from './idleGc'

const glibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime)

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

  it.runIf(glibc)('hands freed heap pages back to the system: a fragmented heap shrinks by what was freed', () => {
    // A child process fills the malloc heap with 100,000 buffers of 1 KB, keeps
    // every 64th (so free() can only trim the very top), collects, then trims.
    const idleGc = fileURLToPath(new URL('./idleGc.ts', import.meta.url))
    const script = `
      import { returnFreedMemory } from ${JSON.stringify(idleGc)}
      const mb = () => process.memoryUsage.rss() / 1048576
      const keep = []
      let dropped = []
      for (let i = 0; i < 100000; i++) { const b = Buffer.alloc(1000); if (i % 64 === 0) keep.push(b); else dropped.push(b) }
      dropped = null; gc(); gc()
      const afterGc = mb()
      const outcome = returnFreedMemory()
      console.log(JSON.stringify({ afterGc, outcome, afterTrim: mb(), kept: keep.length }))`
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' })
    const { afterGc, outcome, afterTrim } = JSON.parse(out.trim().split('\n').pop()!) as { afterGc: number; outcome: string; afterTrim: number }
    expect(outcome).toBe('released')
    // ~98 MB were freed; without the trim RSS stays within a few MB of the peak.
    expect(afterGc - afterTrim).toBeGreaterThan(50)
  })

  it.runIf(glibc)('on glibc the trim is built and found (npm install builds server/native/malloc-trim)', () => {
    expect(returnFreedMemory()).not.toBe('unavailable')
  })
})
