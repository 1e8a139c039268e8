/**
 * A token bucket for one socket's document updates: `perSecond` on average,
 * bursts of up to twice that. Dragging a shape sends about one update per
 * animation frame (60/s); pasting or an undo burst sends a few dozen at once.
 */
export class UpdateRate {
  private tokens: number
  private at = -Infinity

  constructor(private readonly perSecond: number) {
    this.tokens = 2 * perSecond
  }

  /** Takes one update at time `now` (ms); false when the bucket is empty. */
  take(now: number): boolean {
    const capacity = 2 * this.perSecond
    if (this.at !== -Infinity) this.tokens = Math.min(capacity, this.tokens + ((now - this.at) * this.perSecond) / 1000)
    this.at = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
