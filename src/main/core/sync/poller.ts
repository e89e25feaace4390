import type { Profile } from '../../../shared/domain'
import type { Clock, Logger } from '../ports'

export type PolledProfile = Pick<Profile, 'id' | 'pollIntervalSec'>

export interface PollerOptions {
  clock: Clock
  logger: Logger
  /** Fetches one profile's pending list; resolves whether the portal answered. */
  poll: (profileId: string) => Promise<boolean>
  /** Longest wait between attempts while a portal is unreachable; default 10 min. */
  maxBackoffMs?: number
  /** Focus events closer together than this become one refresh; default 1 s. */
  focusDebounceMs?: number
  /** Focus refreshes only profiles last polled longer ago than this; default 15 s. */
  focusMinAgeMs?: number
  /** Changes made on a portal closer together than this share one refresh; default 250 ms. */
  changeDelayMs?: number
}

interface PollState {
  intervalMs: number
  /** Failed polls in a row; each doubles the wait, up to the cap. */
  failures: number
  inFlight: Promise<void> | null
  lastStartedAt: number | null
  cancelTimer: (() => void) | null
}

interface ChangeRefresh {
  cancelTimer: (() => void) | null
  running: boolean
  /** Another change arrived while the refresh ran. */
  again: boolean
}

/**
 * One timer per profile on the injected clock. Never runs two polls for one profile at once: a
 * poll asked for while one is running joins it. The next poll is timed from the end of the last.
 */
export class Poller {
  private readonly states = new Map<string, PollState>()
  /** Polls of profiles not (or no longer) scheduled, still deduplicated. */
  private readonly untracked = new Map<string, Promise<boolean>>()
  /** Polls queued behind a running one, because it may have read the list before a change. */
  private readonly followUps = new Map<string, Promise<void>>()
  /** Refreshes asked for by `changed`, per profile. */
  private readonly changes = new Map<string, ChangeRefresh>()
  private cancelFocus: (() => void) | null = null
  private stopped = false

  constructor(private readonly options: PollerOptions) {}

  /**
   * Starts polling new profiles at once, reschedules those whose interval changed, and stops
   * timers of profiles no longer listed.
   */
  setProfiles(profiles: readonly PolledProfile[]): void {
    if (this.stopped) return
    const ids = new Set(profiles.map((profile) => profile.id))
    for (const [id, state] of this.states) {
      if (ids.has(id)) continue
      state.cancelTimer?.()
      this.states.delete(id)
    }
    for (const [id, change] of this.changes) {
      if (ids.has(id)) continue
      change.cancelTimer?.()
      this.changes.delete(id)
    }
    for (const profile of profiles) {
      const intervalMs = profile.pollIntervalSec * 1000
      const state = this.states.get(profile.id)
      if (!state) {
        this.states.set(profile.id, {
          intervalMs,
          failures: 0,
          inFlight: null,
          lastStartedAt: null,
          cancelTimer: null
        })
        void this.pollNow(profile.id)
      } else if (state.intervalMs !== intervalMs) {
        state.intervalMs = intervalMs
        if (!state.inFlight) {
          this.schedule(profile.id, state, state.lastStartedAt ?? this.options.clock.now())
        }
      }
    }
  }

  /** Polls now, or joins the poll already running; the timer restarts when it ends. */
  pollNow(profileId: string): Promise<void> {
    const state = this.states.get(profileId)
    if (!state) return this.pollUntracked(profileId)
    if (state.inFlight) return state.inFlight
    state.cancelTimer?.()
    state.cancelTimer = null
    state.lastStartedAt = this.options.clock.now()
    const poll = this.untracked.get(profileId) ?? this.run(profileId)
    state.inFlight = poll.then((ok) => {
      state.inFlight = null
      state.failures = ok ? 0 : state.failures + 1
      if (!this.stopped && this.states.get(profileId) === state) {
        this.schedule(profileId, state, this.options.clock.now())
      }
    })
    return state.inFlight
  }

  /**
   * Another call to this portal succeeded after it was unreachable: refresh now instead of
   * waiting out the backoff. Ignored while a poll runs (that poll is the news).
   */
  reconnected(profileId: string): void {
    const state = this.states.get(profileId)
    if (this.stopped || !state || state.inFlight) return
    void this.pollNow(profileId)
  }

  /**
   * Keygate just changed this profile's requests on the portal (an approve or decline landed):
   * poll after `changeDelayMs` with a fetch that starts after the change, since a poll already
   * running may have read the list before it. Changes close together share one refresh.
   */
  changed(profileId: string): void {
    if (this.stopped) return
    let change = this.changes.get(profileId)
    if (!change) {
      change = { cancelTimer: null, running: false, again: false }
      this.changes.set(profileId, change)
    }
    if (change.running) {
      change.again = true
      return
    }
    if (change.cancelTimer) return
    const current = change
    current.cancelTimer = this.options.clock.setTimeout(() => {
      current.cancelTimer = null
      current.running = true
      void this.pollAfterRunning(profileId).finally(() => {
        current.running = false
        if (this.changes.get(profileId) !== current) return
        if (current.again && !this.stopped) {
          current.again = false
          this.changed(profileId)
        } else {
          this.changes.delete(profileId)
        }
      })
    }, this.options.changeDelayMs ?? 250)
  }

  /** The window gained focus: after a short debounce, refresh every list older than the minimum age. */
  windowFocused(): void {
    if (this.stopped) return
    this.cancelFocus?.()
    this.cancelFocus = this.options.clock.setTimeout(() => {
      this.cancelFocus = null
      const now = this.options.clock.now()
      const minAge = this.options.focusMinAgeMs ?? 15_000
      for (const [id, state] of this.states) {
        if (state.inFlight) continue
        if (state.lastStartedAt === null || now - state.lastStartedAt >= minAge)
          void this.pollNow(id)
      }
    }, this.options.focusDebounceMs ?? 1000)
  }

  /** Wait before the next poll: the interval, doubled per failure in a row, capped. */
  delayFor(profileId: string): number | null {
    const state = this.states.get(profileId)
    if (!state) return null
    if (state.failures === 0) return state.intervalMs
    const cap = Math.max(this.options.maxBackoffMs ?? 600_000, state.intervalMs)
    return Math.min(state.intervalMs * 2 ** Math.min(state.failures, 30), cap)
  }

  /** Cancels every timer and waits for running polls; nothing is scheduled afterwards. */
  async stop(): Promise<void> {
    this.stopped = true
    this.cancelFocus?.()
    this.cancelFocus = null
    for (const change of this.changes.values()) change.cancelTimer?.()
    this.changes.clear()
    const running: Promise<unknown>[] = [...this.untracked.values(), ...this.followUps.values()]
    for (const state of this.states.values()) {
      state.cancelTimer?.()
      state.cancelTimer = null
      if (state.inFlight) running.push(state.inFlight)
    }
    await Promise.all(running)
  }

  private schedule(profileId: string, state: PollState, fromMs: number): void {
    state.cancelTimer?.()
    const delay = this.delayFor(profileId) ?? state.intervalMs
    const wait = Math.max(0, fromMs + delay - this.options.clock.now())
    state.cancelTimer = this.options.clock.setTimeout(() => {
      state.cancelTimer = null
      void this.pollNow(profileId)
    }, wait)
  }

  /** Polls now, or once the poll already running ends (calls meanwhile share that one). */
  private pollAfterRunning(profileId: string): Promise<void> {
    const running = this.states.get(profileId)?.inFlight ?? this.untracked.get(profileId)
    if (!running) return this.pollNow(profileId)
    let next = this.followUps.get(profileId)
    if (!next) {
      next = running
        .then(() => (this.stopped ? undefined : this.pollNow(profileId)))
        .finally(() => this.followUps.delete(profileId))
      this.followUps.set(profileId, next)
    }
    return next
  }

  private async pollUntracked(profileId: string): Promise<void> {
    let running = this.untracked.get(profileId)
    if (!running) {
      running = this.run(profileId).finally(() => this.untracked.delete(profileId))
      this.untracked.set(profileId, running)
    }
    await running
  }

  private async run(profileId: string): Promise<boolean> {
    try {
      return await this.options.poll(profileId)
    } catch (cause) {
      this.options.logger.error('Poll failed unexpectedly', {
        profileId,
        message: cause instanceof Error ? cause.message : String(cause)
      })
      return false
    }
  }
}
