import type { Clock } from '../ports'

interface Timer {
  id: number
  due: number
  fn: () => void
}

/** Lets pending promise callbacks and I/O callbacks run (one macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A Clock whose time moves only when a test says so; due timers fire in time order. */
export class FakeClock implements Clock {
  private time: number
  private timers: Timer[] = []
  private nextId = 1

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

  /** Moves time without firing timers (time passing while a call is on the wire). */
  skip(ms: number): void {
    this.time += ms
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
    await settle()
  }
}

/** Waits (in real event-loop turns, not time) until `condition` holds. */
export async function until(condition: () => boolean, turns = 1_000): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    if (condition()) return
    await settle()
  }
  throw new Error('Condition not reached')
}
