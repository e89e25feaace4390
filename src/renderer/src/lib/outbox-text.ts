import type { ActionKind, OutboxItem, OutboxState } from '../../../shared/domain'
import { activeOutboxStates } from '../../../shared/outbox-states'
import { clockTime } from './format'

/** Still to be sent, or parked until the admin fixes the secret. */
export function isActive(state: OutboxState): boolean {
  return activeOutboxStates.has(state)
}

export const outboxStateLabels: Record<OutboxState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  done: 'Done',
  conflict: 'Conflict',
  failed: 'Failed',
  'needs-auth': 'Needs a valid API key',
  cancelled: 'Cancelled'
}

export const actionLabels: Record<ActionKind, string> = {
  approve: 'Approve',
  decline: 'Decline'
}

/** The badge a list row shows while an action on it waits in the outbox; null when none. */
export function queuedBadge(kind: ActionKind, state: OutboxState): string | null {
  switch (state) {
    case 'queued':
      return kind === 'approve' ? 'approval queued' : 'decline queued'
    case 'sending':
      return 'sending…'
    case 'needs-auth':
      return `${kind === 'approve' ? 'approval' : 'decline'} waiting for API key`
    case 'failed':
      return `${kind === 'approve' ? 'approval' : 'decline'} failed`
    case 'conflict':
      return 'conflict'
    default:
      return null
  }
}

/**
 * Conflicts and no-op outcomes in words, e.g. "found approved elsewhere at 14:02 — nothing sent".
 * The time is when Keygate found out: a Classic key request carries no time of approval.
 */
export function resolutionText(item: {
  kind: ActionKind
  resolution?: OutboxItem['resolution']
}): string | null {
  if (!item.resolution) return null
  const at = clockTime(item.resolution.at)
  switch (item.resolution.reason) {
    case 'approved-elsewhere':
      return `found approved elsewhere at ${at} — nothing sent`
    case 'removed-elsewhere':
      return `found removed elsewhere at ${at} — nothing sent`
    case 'removed-outcome-unknown':
      return `found removed at ${at} — the approval may have issued a key first: check the Dashboard`
    case 'cancelled-outcome-unknown':
      return item.kind === 'approve'
        ? `cancelled at ${at} with its portal — an earlier attempt may have issued a key: check the Dashboard`
        : `cancelled at ${at} with its portal — an earlier attempt may have declined it`
    case 'already-removed':
      return 'already removed — decline done'
    case 'response-lost':
      return `approved (confirmed at ${at}), but the reply was lost — the key cannot be shown here; the developer gets it from the portal`
    default:
      return null
  }
}

export interface QueuedAction {
  opId: string
  kind: ActionKind
  state: OutboxState
}

/**
 * The action waiting on a request: the list's overlay, refreshed with the outbox's newer state
 * (the outbox push usually lands before the list reload).
 */
export function currentQueued(
  queued: QueuedAction | null,
  byOp: ReadonlyMap<string, OutboxItem>
): QueuedAction | null {
  if (!queued) return null
  const live = byOp.get(queued.opId)
  return live ? { opId: live.opId, kind: live.kind, state: live.state } : queued
}
