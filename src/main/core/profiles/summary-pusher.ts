import type { ProfileSummary } from '../../../shared/domain'
import type { Clock, Logger } from '../ports'

export interface SummaryPusher {
  /** Something a summary shows may have changed: push fresh summaries shortly. */
  schedule(): void
  /** Cancels a scheduled push; nothing is pushed afterwards. */
  stop(): void
}

export interface SummaryPusherDeps {
  build: () => Promise<ProfileSummary[]>
  push: (summaries: ProfileSummary[]) => void
  clock: Clock
  logger: Logger
  /** Changes within this delay share one push. */
  delayMs: number
}

/**
 * `profiles:changed`, coalesced: a poll, a flush or a connectivity flap may each change a
 * summary many times a second, and each push re-renders the sidebar and resets the tray. Pushes
 * run one at a time, in order, and only when the summaries differ from the last ones pushed.
 */
export function createSummaryPusher(deps: SummaryPusherDeps): SummaryPusher {
  let cancelTimer: (() => void) | null = null
  let stopped = false
  let last: string | null = null
  let chain: Promise<void> = Promise.resolve()

  const send = async (): Promise<void> => {
    if (stopped) return
    try {
      const summaries = await deps.build()
      const text = JSON.stringify(summaries)
      if (stopped || text === last) return
      last = text
      deps.push(summaries)
    } catch (thrown) {
      deps.logger.error('Could not build profile summaries', { error: thrown })
    }
  }

  return {
    schedule() {
      if (stopped || cancelTimer) return
      cancelTimer = deps.clock.setTimeout(() => {
        cancelTimer = null
        chain = chain.then(send)
      }, deps.delayMs)
    },
    stop() {
      stopped = true
      cancelTimer?.()
      cancelTimer = null
    }
  }
}
