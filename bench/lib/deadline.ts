/** A wall-clock budget for the whole run: workloads check it between steps and stop early. */
export class Deadline {
  private readonly end: number
  constructor(public readonly budgetMs: number) {
    this.end = Date.now() + budgetMs
  }
  remainingMs(): number {
    return this.end - Date.now()
  }
  expired(): boolean {
    return Date.now() >= this.end
  }
  check(): void {
    if (this.expired()) throw new Error(`run budget of ${Math.round(this.budgetMs / 1000)} s exhausted`)
  }
}
