import type { OutboxState } from './domain'

/**
 * The groups of outbox states every layer reasons with (docs/architecture.md#outbox-states),
 * declared once: the core, the renderer and the chaos checks all read these.
 */

/** Still owned by the outbox: to send, being sent, or parked until the profile's secret works. */
export const activeOutboxStates: ReadonlySet<OutboxState> = new Set([
  'queued',
  'sending',
  'needs-auth'
])

/** Ended (or parked) in a way the user is told about: a notification, a badge, Retry. */
export const problemOutboxStates: ReadonlySet<OutboxState> = new Set([
  'conflict',
  'failed',
  'needs-auth'
])

/** Nothing more happens to them (no call, no Retry, no Cancel), so they may be pruned. */
export const finishedOutboxStates: ReadonlySet<OutboxState> = new Set([
  'done',
  'conflict',
  'cancelled'
])

/**
 * Outcomes after which the request is no longer pending on the portal: Keygate's action went
 * through, or another admin acted first.
 */
export const leftPendingOutboxStates: ReadonlySet<OutboxState> = new Set(['done', 'conflict'])
