/**
 * This browser's estimate of the server's clock (see shared/clock.ts): a few
 * samples of `GET /api/time` at start, one more every few minutes, the
 * shortest round trip wins. `serverNow()` works before the first answer (with
 * offset 0) and offline (with the last estimate).
 */
import { bestOffset, type ClockSample } from '../../../shared/clock'

const RESAMPLE_MS = 5 * 60_000
const KEEP = 8

const samples: ClockSample[] = []
let offset = 0
let started = false

async function sample(): Promise<void> {
  const sentAt = Date.now()
  try {
    const res = await fetch('/api/time', { cache: 'no-store' })
    const body = (await res.json()) as { now?: unknown }
    const receivedAt = Date.now()
    if (typeof body.now !== 'number') return
    samples.push({ sentAt, receivedAt, serverTime: body.now })
    if (samples.length > KEEP) samples.shift()
    offset = bestOffset(samples)
  } catch {
    // Offline: keep the last estimate.
  }
}

/** Starts measuring (idempotent). */
export function startServerClock(): void {
  if (started) return
  started = true
  void (async () => {
    for (let i = 0; i < 3; i++) await sample()
  })()
  setInterval(() => void sample(), RESAMPLE_MS)
}

/** Server time now, in milliseconds since the epoch. */
export function serverNow(): number {
  return Date.now() + offset
}

/** Converts a server time to this browser's clock (for showing it as a local time). */
export function toLocalTime(serverTime: number): number {
  return serverTime - offset
}
