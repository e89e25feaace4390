import type { Clock } from '../../ports'

interface Timer {
  id: number
  at: number
  fn: () => void
}

/** Lets pending promise callbacks and I/O callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** A Clock whose time moves only when a test says so; timers fire in time order. */
export class FakeClock implements Clock {
  private current: number
  private timers: Timer[] = []
  private nextId = 0

  constructor(start = Date.parse('2030-01-01T00:00:00.000Z')) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = ++this.nextId
    this.timers.push({ id, at: this.current + Math.max(0, ms), fn })
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id)
    }
  }

  /** Moves time without firing timers (time passing while a call is on the wire). */
  skip(ms: number): void {
    this.current += ms
  }

  pendingTimers(): number {
    return this.timers.length
  }

  /** Moves time forward, firing every timer that falls due, with async work settled between. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms
    for (;;) {
      await settle()
      const next = this.timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!next) break
      this.timers = this.timers.filter((timer) => timer.id !== next.id)
      this.current = next.at
      next.fn()
    }
    this.current = target
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
