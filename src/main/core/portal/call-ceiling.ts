import type { Clock, HttpTransport } from '../ports'

export interface CallCeiling {
  /** Calls per second a Dashboard may receive from Keygate, sustained. */
  perSecond: number
  /** Calls that may go out at once after a quiet spell. */
  burst: number
}

/**
 * Above what Keygate's busiest legitimate work sends one Dashboard (a flush of 500 approvals runs
 * at about 170 calls/s; a list read paged by 10 sends its pages back to back), so only a bug
 * retrying in a loop waits on it.
 */
export const defaultCallCeiling: CallCeiling = { perSecond: 200, burst: 400 }

/**
 * A token bucket in front of one Dashboard's transport: the last line against a retry storm,
 * whatever the outbox or the poller get wrong. Calls over the ceiling wait their turn in order
 * (timers on the clock); none is refused.
 */
export function limitCalls(
  transport: HttpTransport,
  clock: Clock,
  ceiling: CallCeiling = defaultCallCeiling
): HttpTransport {
  const perMs = ceiling.perSecond / 1000
  let tokens = ceiling.burst
  let refilledAt = clock.now()
  const waiting: (() => void)[] = []
  let armed = false

  const refill = (): void => {
    const now = clock.now()
    tokens = Math.min(ceiling.burst, tokens + Math.max(0, now - refilledAt) * perMs)
    refilledAt = now
  }
  const release = (): void => {
    armed = false
    refill()
    while (waiting.length > 0 && tokens >= 1) {
      tokens -= 1
      waiting.shift()?.()
    }
    arm()
  }
  const arm = (): void => {
    if (armed || waiting.length === 0) return
    armed = true
    clock.setTimeout(release, Math.max(1, Math.ceil((1 - tokens) / perMs)))
  }
  const turn = (): Promise<void> => {
    refill()
    if (waiting.length === 0 && tokens >= 1) {
      tokens -= 1
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      waiting.push(resolve)
      arm()
    })
  }

  return async (request) => {
    await turn()
    return transport(request)
  }
}
