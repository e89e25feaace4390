import { finishedOutboxStates } from '../../../shared/outbox-states'
import type { StoredOutboxItem } from './outbox-types'

/**
 * However full the cap, an item stays this long after it finished. The write that records its
 * final state also tells the change listeners, and AppCore's decision log writes what it heard
 * within a second: an item may only leave in a later write, well after that.
 */
export const MIN_FINISHED_AGE_MS = 60 * 60_000

export interface PrunePolicy {
  retentionMs: number
  maxFinished: number
}

/**
 * The opIds of finished items to drop: those finished more than `retentionMs` ago, and those
 * beyond the `maxFinished` most recently finished, whichever drops more.
 */
export function itemsToPrune(
  items: Iterable<StoredOutboxItem>,
  now: number,
  policy: PrunePolicy
): string[] {
  const finished: { opId: string; at: number }[] = []
  for (const item of items) {
    // Nothing touches a finished item again, so its last update is when it finished.
    // `failed` and `needs-auth` wait for the user (Retry, a new secret) and are never pruned.
    if (finishedOutboxStates.has(item.state))
      finished.push({ opId: item.opId, at: Date.parse(item.updatedAt) })
  }
  finished.sort((a, b) => b.at - a.at)
  return finished
    .filter(({ at }, rank) => {
      const age = now - at
      if (age < MIN_FINISHED_AGE_MS) return false
      return age > policy.retentionMs || rank >= policy.maxFinished
    })
    .map(({ opId }) => opId)
}
