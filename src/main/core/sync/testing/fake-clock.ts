import type { Clock } from '../../ports'

interface Timer {
  id: number
  due: number
  fn: () => void
}

/** Waits until every pending promise continuation has run (one macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A Clock whose time moves only through `advance`, running due timers in order. */
export class FakeClock implements Clock {
  private time: number
  private nextId = 1
  private timers: Timer[] = []

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { id: this.nextId++, due: this.time + Math.max(0, ms), fn }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }

  /** Timers waiting to fire. */
  pending(): number {
    return this.timers.length
  }

  /**
   * Moves time forward by `ms`, firing each due timer at its own time and letting the promise
   * work it starts finish before the next one.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms
    await settle()
    for (;;) {
      const next = this.timers
        .filter((t) => t.due <= target)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0]
      if (!next) break
      this.timers = this.timers.filter((t) => t !== next)
      this.time = next.due
      next.fn()
      await settle()
    }
    this.time = target
  }
}
