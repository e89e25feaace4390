import type { Clock } from '../src/main/core/ports'

/**
 * One time line shared by every core instance of a run, in this process and in workers: chaos
 * time runs `scale` times faster than the wall clock from `origin`. Backoff (1 s to 5 min) and the
 * 15 s reconcile grace are meant for people; compressing them lets thousands of actions with
 * offline windows finish in minutes, while calls still take real time on real sockets. The same
 * formula in every process keeps stored deadlines (epoch ms) meaningful across restarts.
 */
export interface Timeline {
  /** Wall-clock ms at which chaos time equals wall time. */
  origin: number
  scale: number
}

export function chaosNow(timeline: Timeline, wallNow = Date.now()): number {
  return timeline.origin + (wallNow - timeline.origin) * timeline.scale
}

/** A core's clock that can be frozen: a killed instance's timers never fire again. */
export interface FreezableClock extends Clock {
  freeze(): void
}

/**
 * The chaos time line as a `Clock`, `offsetMs` off it (a wall clock that jumped); `freeze()`
 * cancels every timer and ignores new ones.
 */
export function createChaosClock(timeline: Timeline, offsetMs = 0): FreezableClock {
  const timers = new Set<NodeJS.Timeout>()
  let frozen = false
  return {
    now: () => chaosNow(timeline) + offsetMs,
    setTimeout(fn, ms) {
      if (frozen) return () => undefined
      const handle = setTimeout(
        () => {
          timers.delete(handle)
          if (!frozen) fn()
        },
        Math.max(0, ms) / timeline.scale
      )
      handle.unref()
      timers.add(handle)
      return () => {
        clearTimeout(handle)
        timers.delete(handle)
      }
    },
    freeze() {
      frozen = true
      for (const handle of timers) clearTimeout(handle)
      timers.clear()
    }
  }
}
