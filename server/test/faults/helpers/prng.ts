/**
 * Seeded randomness for the fault tests: every random choice a test makes
 * comes from one seed it prints, so a failure names the seed that reproduces
 * its choices (`FAULT_SEED=<n> npx vitest run server/test/faults`). Network
 * and scheduler timing still varies between runs; the seed fixes what the
 * test does, not when the kernel delivers it.
 */

/** A small, fast PRNG (mulberry32) with the helpers the tests use. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number
  /** True with probability p. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  bytes(length: number): Uint8Array
}

/** mulberry32: 32 bits of state, good enough to drive a fuzzer, and reproducible. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[int(0, items.length - 1)],
    bytes: (length) => {
      const out = new Uint8Array(length)
      for (let i = 0; i < length; i++) out[i] = int(0, 255)
      return out
    },
  }
}

/**
 * The seed for this run: FAULT_SEED if set (to replay a failure), else a new
 * random one, so every run explores a little more. Always printed by the test.
 */
export function runSeed(): number {
  const fromEnv = process.env.FAULT_SEED
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const seed = Number(fromEnv)
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`FAULT_SEED must be a non-negative integer, got "${fromEnv}"`)
    return seed
  }
  return Math.floor(Math.random() * 2 ** 31)
}
