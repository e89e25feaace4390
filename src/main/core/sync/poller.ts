import type { Profile } from '../../../shared/domain'
import { Coalescer } from '../../../shared/coalescer'
import type { Clock, Logger } from '../ports'

export type PolledProfile = Pick<Profile, 'id' | 'pollIntervalSec'>

/** `probe`: a scheduled poll that may settle for a cheap change probe; `full`: read the list. */
export type PollMode = 'full' | 'probe'

/**
 * The portal did not answer, answered a probe that stood in for a full read (nothing new, or
 * only new requests on top, added from page 1), or was read in full.
 */
export type PollOutcome = 'failed' | 'probed' | 'full'

export interface PollerOptions {
  clock: Clock
  logger: Logger
  /** Reads one profile's pending list, or only probes it when `mode` allows; says how it went. */
  poll: (profileId: string, mode: PollMode) => Promise<PollOutcome>
  /** Longest wait between attempts while a portal is unreachable; default 10 min. */
  maxBackoffMs?: number
  /** Focus events closer together than this become one refresh; default 1 s. */
  focusDebounceMs?: number
  /** Focus refreshes only profiles last polled longer ago than this; default 15 s. */
  focusMinAgeMs?: number
  /** Changes made on a portal closer together than this share one refresh; default 250 ms. */
  changeDelayMs?: number
  /**
   * Every this many scheduled polls, one reads the whole list instead of probing; default 5.
   * Full reads are what show removals the probe cannot see; 1 turns probing off.
   */
  fullReadEvery?: number
  /** A scheduled poll reads the whole list when the last full read is this old; default 5 min. */
  fullReadMaxAgeMs?: number
}

interface PollState {
  intervalMs: number
  /** Failed polls in a row; each doubles the wait, up to the cap. */
  failures: number
  inFlight: Promise<void> | null
  inFlightMode: PollMode
  lastStartedAt: number | null
  /** Start of the last full read that succeeded. */
  lastFullAt: number | null
  /** Probes that stood in for a full read since the last one. */
  probesSinceFull: number
  cancelTimer: (() => void) | null
}

interface ChangeRefresh {
  cancelTimer: (() => void) | null
  /** One refresh at a time; changes while it runs share one more after it. */
  refresh: Coalescer
}

/**
 * One timer per profile on the injected clock. Never runs two polls for one profile at once: a
 * poll asked for while one is running joins it, or follows it when a full read is asked for
 * during a probe. The next poll is timed from the end of the last. Only timer-driven polls may
 * probe; every other poll (first, refresh, focus, reconnect, change) reads the whole list.
 */
export class Poller {
  private readonly states = new Map<string, PollState>()
  /** Polls of profiles not (or no longer) scheduled, still deduplicated. */
  private readonly untracked = new Map<string, Promise<PollOutcome>>()
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
          inFlightMode: 'full',
          lastStartedAt: null,
          lastFullAt: null,
          probesSinceFull: 0,
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

  /**
   * Reads the whole list now, or joins the full read already running (a running probe is
   * followed by one); the timer restarts when it ends.
   */
  pollNow(profileId: string): Promise<void> {
    return this.start(profileId, 'full')
  }

  /**
   * Another call to this portal succeeded after it was unreachable: refresh now instead of
   * waiting out the backoff. Ignored while a poll runs: that poll is the news (the sync reads in
   * full instead of probing after an outage).
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
      change = { cancelTimer: null, refresh: new Coalescer() }
      this.changes.set(profileId, change)
    }
    const current = change
    const dropped = () => this.stopped || this.changes.get(profileId) !== current
    current.refresh.request(() => {
      if (current.cancelTimer || dropped()) return
      current.cancelTimer = this.options.clock.setTimeout(() => {
        current.cancelTimer = null
        void current.refresh
          .run(() => this.pollAfterRunning(profileId))
          .finally(() => {
            if (current.cancelTimer === null && !dropped()) this.changes.delete(profileId)
          })
      }, this.options.changeDelayMs ?? 250)
    })
  }

  /**
   * The window gained focus: after a short debounce, read every list whose last full read is
   * older than the minimum age (probes do not count: the admin is about to look at the list).
   */
  windowFocused(): void {
    if (this.stopped) return
    this.cancelFocus?.()
    this.cancelFocus = this.options.clock.setTimeout(() => {
      this.cancelFocus = null
      const now = this.options.clock.now()
      const minAge = this.options.focusMinAgeMs ?? 15_000
      for (const [id, state] of this.states) {
        if (state.lastFullAt === null || now - state.lastFullAt >= minAge) void this.pollNow(id)
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
      void this.start(profileId, this.scheduledMode(state))
    }, wait)
  }

  private scheduledMode(state: PollState): PollMode {
    if (state.lastFullAt === null) return 'full'
    const every = this.options.fullReadEvery ?? 5
    const maxAgeMs = this.options.fullReadMaxAgeMs ?? 300_000
    const due =
      state.probesSinceFull + 1 >= every || this.options.clock.now() - state.lastFullAt >= maxAgeMs
    return due ? 'full' : 'probe'
  }

  private start(profileId: string, mode: PollMode): Promise<void> {
    const state = this.states.get(profileId)
    if (!state) return this.pollUntracked(profileId)
    if (state.inFlight) {
      // A probe cannot stand in for a full read: it misses removals beyond page 1.
      return mode === 'full' && state.inFlightMode === 'probe'
        ? this.pollAfterRunning(profileId)
        : state.inFlight
    }
    state.cancelTimer?.()
    state.cancelTimer = null
    const startedAt = this.options.clock.now()
    state.lastStartedAt = startedAt
    const untracked = this.untracked.get(profileId)
    state.inFlightMode = untracked ? 'full' : mode
    const poll = untracked ?? this.run(profileId, mode)
    state.inFlight = poll.then((outcome) => {
      state.inFlight = null
      state.failures = outcome === 'failed' ? state.failures + 1 : 0
      if (outcome === 'full') {
        state.lastFullAt = startedAt
        state.probesSinceFull = 0
      } else if (outcome === 'probed') {
        state.probesSinceFull += 1
      }
      if (!this.stopped && this.states.get(profileId) === state) {
        this.schedule(profileId, state, this.options.clock.now())
      }
    })
    return state.inFlight
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
      running = this.run(profileId, 'full').finally(() => this.untracked.delete(profileId))
      this.untracked.set(profileId, running)
    }
    await running
  }

  private async run(profileId: string, mode: PollMode): Promise<PollOutcome> {
    try {
      return await this.options.poll(profileId, mode)
    } catch (cause) {
      this.options.logger.error('Poll failed unexpectedly', {
        profileId,
        message: cause instanceof Error ? cause.message : String(cause)
      })
      return 'failed'
    }
  }
}
