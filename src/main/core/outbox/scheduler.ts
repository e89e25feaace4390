import { Coalescer } from '../../../shared/coalescer'
import type { Clock, Logger } from '../ports'
import { Semaphore } from './limiter'

/** Longest delay a Node timer holds (2^31-1 ms); a later wake-up is reached in steps. */
export const MAX_TIMER_MS = 2 ** 31 - 1

export interface SchedulerDeps {
  clock: Clock
  logger: Logger | undefined
  /** Profiles flushing at once. */
  maxParallelProfiles: number
  /** One pass over a profile; true when it should run again at once. */
  pass(profileId: string, ignoreBackoff: boolean): Promise<boolean>
  /** Earliest time an item is due, or null. */
  nextWakeAt(): number | null
  /** What the wake timer does: flush every profile with due work. */
  wake(): Promise<void>
}

interface ProfileFlushes {
  coalescer: Coalescer
  /** The flush asked for and not started yet: every ask until it starts joins it. */
  next: { ignoreBackoff: boolean; done: Promise<void> } | null
}

/**
 * When the outbox works (docs/architecture.md#ordering): per profile one flush at a time, and
 * asks that come meanwhile share one more flush after it (a `Coalescer`); at most
 * `maxParallelProfiles` profiles at once (a semaphore); and a timer on the clock for the next
 * due item.
 */
export class Scheduler {
  private readonly slots: Semaphore
  private readonly profiles = new Map<string, ProfileFlushes>()
  private readonly running = new Set<Promise<void>>()
  private cancelWake: (() => void) | null = null
  private started = false
  private stopped = false

  constructor(private readonly deps: SchedulerDeps) {
    this.slots = new Semaphore(Math.max(1, deps.maxParallelProfiles))
  }

  /** Set by `stop()`: no flush starts or goes on taking items after it. */
  get closed(): boolean {
    return this.stopped
  }

  /**
   * Flushes a profile. A flush asked for while one runs is joined to the next one, which starts
   * when the running one ends, so nothing queued meanwhile is missed. Resolves when the flush
   * that serves this ask has ended.
   */
  flushProfile(profileId: string, ignoreBackoff: boolean): Promise<void> {
    let flushes = this.profiles.get(profileId)
    if (!flushes) {
      flushes = { coalescer: new Coalescer(), next: null }
      this.profiles.set(profileId, flushes)
    }
    if (flushes.next) {
      flushes.next.ignoreBackoff ||= ignoreBackoff
      return flushes.next.done
    }
    const own = flushes
    let settle!: { resolve: () => void; reject: (thrown: unknown) => void }
    const next = {
      ignoreBackoff,
      done: new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
    }
    own.next = next
    own.coalescer.request(() => {
      if (own.next === next) own.next = null
      const run = own.coalescer
        .run(() => this.withSlot(() => this.passes(profileId, next.ignoreBackoff)))
        .finally(() => {
          this.running.delete(run)
          this.schedule()
        })
      this.running.add(run)
      run.then(settle.resolve, settle.reject)
    })
    return next.done
  }

  /** Runs `task` holding one of the profile slots. */
  async withSlot<T>(task: () => Promise<T>): Promise<T> {
    await this.slots.acquire()
    try {
      return await task()
    } finally {
      this.slots.release()
    }
  }

  /** Sets the wake timer for the next due item (replacing any), once started. */
  schedule(): void {
    if (!this.started) return
    this.cancelWake?.()
    this.cancelWake = null
    const at = this.deps.nextWakeAt()
    if (at === null) return
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.deps.clock.now()))
    this.cancelWake = this.deps.clock.setTimeout(() => {
      this.cancelWake = null
      // A wake-up further than a timer holds is reached in steps.
      if (this.deps.clock.now() < at) {
        this.schedule()
        return
      }
      this.deps
        .wake()
        .catch((thrown: unknown) =>
          this.deps.logger?.error('Scheduled outbox flush failed', { error: String(thrown) })
        )
    }, delay)
  }

  /** From now on, `schedule()` sets the timer. */
  start(): void {
    this.started = true
  }

  /** Stops the timer and waits for running flushes to finish. */
  async stop(): Promise<void> {
    this.started = false
    this.stopped = true
    this.cancelWake?.()
    this.cancelWake = null
    await Promise.all([...this.running].map((run) => run.catch(() => undefined)))
  }

  private async passes(profileId: string, ignoreBackoff: boolean): Promise<void> {
    let ignore = ignoreBackoff
    while (!this.stopped) {
      if (!(await this.deps.pass(profileId, ignore))) return
      ignore = false
    }
  }
}
