/**
 * "One at a time, and once more after it": runs may start at any moment (a newer one supersedes
 * the ones before it), while requests that arrive during a run share a single follow-up once the
 * latest run ends, however many there were. Keeps a burst of change events from turning into a
 * burst of reloads.
 */
export class Coalescer {
  private started = 0
  private busy = false
  private followUp: (() => void) | null = null

  /**
   * Runs `task` now. `isLatest` tells the task whether a newer run started meanwhile, so it can
   * drop a stale result. When the latest run ends, a follow-up asked for meanwhile starts.
   */
  async run(task: (isLatest: () => boolean) => Promise<void>): Promise<void> {
    const ticket = ++this.started
    const isLatest = (): boolean => ticket === this.started
    this.busy = true
    try {
      await task(isLatest)
    } finally {
      if (isLatest()) {
        this.busy = false
        const next = this.followUp
        this.followUp = null
        next?.()
      }
    }
  }

  /**
   * Calls `start` now when no run is in progress; otherwise once after the latest run ends. Of
   * several requests during one run, only the last one's `start` is called.
   */
  request(start: () => void): void {
    if (this.busy) this.followUp = start
    else start()
  }
}
