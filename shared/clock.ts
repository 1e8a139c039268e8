/**
 * Server time in the browser: each browser measures the offset between its
 * clock and the server's (like NTP, from a request's send and receive times
 * and the server's clock in the answer) and keeps the sample with the shortest
 * round trip, the one least blurred by network delay. Countdowns and
 * timestamps in the session state are in server time.
 */

/** One measurement: local times around a request, and the server's time in its answer. */
export interface ClockSample {
  sentAt: number
  receivedAt: number
  serverTime: number
}

/** The offset (server − local) and the round trip of one sample. */
export function sampleOffset({ sentAt, receivedAt, serverTime }: ClockSample): { offset: number; rtt: number } {
  const rtt = Math.max(0, receivedAt - sentAt)
  // The server read its clock, on average, halfway through the round trip.
  return { offset: serverTime - (sentAt + rtt / 2), rtt }
}

/** The offset from the sample with the shortest round trip; 0 with no samples. */
export function bestOffset(samples: ClockSample[]): number {
  let best: { offset: number; rtt: number } | undefined
  for (const sample of samples) {
    if (!(sample.receivedAt >= sample.sentAt) || !Number.isFinite(sample.serverTime)) continue
    const measured = sampleOffset(sample)
    if (!best || measured.rtt < best.rtt) best = measured
  }
  return best ? Math.round(best.offset) : 0
}
