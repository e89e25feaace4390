import type {
  ActionKind,
  OutboxItem,
  OutboxResolutionReason,
  OutboxState
} from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import type { ClassifiedFailure } from './failure'
import {
  checkFailedError,
  conflictError,
  outcomeUnknownError,
  removedAfterUnknownError,
  responseLostError,
  unappliedError
} from './messages'
import type { RequestState } from './preflight'

/**
 * The outbox's rules as pure functions (docs/architecture.md#preflight, #reconciliation,
 * #backoff): what an item does next given what the Dashboard said. Nothing here reads a clock,
 * draws a random number or touches an item; the replay pass applies the decisions.
 */

/** What the rules need of an item. */
export interface ItemFacts {
  kind: ActionKind
  /** Set while an earlier call may have reached the Dashboard (epoch ms). */
  verifyAfter: number | null
  lastError: AppError | null
  label: OutboxItem['label']
}

export interface Settle {
  action: 'settle'
  state: OutboxState
  resolution: OutboxResolutionReason | null
  error: AppError | null
}

export type ReadDecision =
  /** Send the call; `confirmed` when a doubt about an earlier call was just cleared. */
  | { action: 'send'; confirmed: boolean }
  /** An earlier call may still land: nothing is sent before `until`. */
  | { action: 'wait'; until: number }
  | Settle

export type FailureDecision =
  /**
   * Try again at `at`. `hold`: the Dashboard itself answered, so no reconnect shortens the wait;
   * `pauseProfile`: it asked the whole client to slow down. `error` replaces the item's last
   * error unless null.
   */
  | { action: 'retry'; at: number; hold: boolean; pauseProfile: boolean; error: AppError | null }
  /** The call may have been applied: re-read the request before anything else. */
  | { action: 'reconcile'; verifyAfter: number; error: AppError }
  /** The profile's secret or permissions need the user: park every waiting item. */
  | { action: 'park'; error: AppError }
  | Settle

const settle = (
  state: OutboxState,
  resolution: OutboxResolutionReason | null,
  error: AppError | null
): Settle => ({ action: 'settle', state, resolution, error })

/**
 * Decides an item from its request's state on the Dashboard: first decision wins, a DELETE never
 * hits an approved request, and an item whose earlier call may have landed is sent again only on
 * a "pending" read taken after `verifyAfter`. `unexpected`: the read follows this error, one
 * Keygate did not understand (not a lost reply), so "pending" means that call was not applied.
 */
export function decideFromRead(
  item: ItemFacts,
  state: RequestState,
  now: number,
  unexpected: AppError | null = null
): ReadDecision {
  const unsure = item.verifyAfter !== null
  if (state === 'pending') {
    if (unexpected !== null) return settle('failed', null, unappliedError(unexpected))
    if (item.verifyAfter !== null && now < item.verifyAfter) {
      return { action: 'wait', until: item.verifyAfter }
    }
    return { action: 'send', confirmed: unsure }
  }
  const progress = unsure ? 'unknown' : 'not-sent'
  if (state === 'approved') {
    if (item.kind === 'approve' && unsure) {
      // A non-retryable lastError is the portal's own words about the reply (e.g. an approve
      // answered without a key under secure key approval): worth keeping in the explanation.
      const cause = item.lastError
      const detail = cause && !cause.retryable ? cause.message : null
      return settle(
        'done',
        'response-lost',
        responseLostError(cause?.code ?? 'INTERNAL', detail, item.label)
      )
    }
    return settle(
      'conflict',
      'approved-elsewhere',
      conflictError(item.kind, 'approved-elsewhere', progress)
    )
  }
  if (item.kind === 'approve' && unsure) {
    return settle('conflict', 'removed-outcome-unknown', removedAfterUnknownError(item.label))
  }
  if (item.kind === 'approve') {
    return settle(
      'conflict',
      'removed-elsewhere',
      conflictError('approve', 'removed-elsewhere', progress)
    )
  }
  // A decline whose DELETE may have landed finds the request gone: most likely its own doing.
  return settle('done', unsure ? null : 'already-removed', null)
}

/** Where a failure happened. */
export type FailureStage =
  /** The approve or decline call itself. */
  | { stage: 'send' }
  /** The pre-flight GET of this request, before anything was sent. */
  | { stage: 'preflight' }
  /** The re-read right after a call of unknown outcome; `cause` is that call's failure. */
  | { stage: 'check'; cause: ClassifiedFailure }

export interface FailureContext {
  now: number
  /** The backoff delay for this item's current failure streak (drawn by the caller). */
  backoffMs: number
  /** `reconcileGraceMs`. */
  graceMs: number
}

/** Decides an item from a classified failure (docs/architecture.md#backoff, #reconciliation). */
export function decideFromFailure(
  item: ItemFacts,
  failure: ClassifiedFailure,
  where: FailureStage,
  context: FailureContext
): FailureDecision {
  const retryAt = context.now + Math.max(failure.retryAfterMs ?? 0, context.backoffMs)
  if (where.stage === 'preflight') {
    if (failure.kind === 'transient') {
      return { action: 'retry', at: retryAt, hold: true, pauseProfile: false, error: failure.error }
    }
    return settle('failed', null, checkFailedError(failure.error))
  }
  if (where.stage === 'check') {
    if (failure.kind === 'auth') return { action: 'park', error: failure.error }
    if (where.cause.kind === 'unexpected') return settle('failed', null, where.cause.error)
    // Still unsure whether the call landed: read again later, never send before that.
    return {
      action: 'retry',
      at: context.now + context.backoffMs,
      hold: false,
      pauseProfile: false,
      error: null
    }
  }
  switch (failure.kind) {
    case 'not-found':
      return item.kind === 'approve'
        ? settle(
            'conflict',
            'removed-elsewhere',
            conflictError('approve', 'removed-elsewhere', 'refused')
          )
        : settle('done', 'already-removed', null)
    case 'conflict':
      return item.kind === 'approve'
        ? settle(
            'conflict',
            'approved-elsewhere',
            conflictError('approve', 'approved-elsewhere', 'refused')
          )
        : settle('failed', null, failure.error)
    case 'transient':
      return {
        action: 'retry',
        at: retryAt,
        hold: true,
        pauseProfile: failure.error.code === 'RATE_LIMITED',
        error: failure.error
      }
    case 'auth':
      return { action: 'park', error: failure.error }
    case 'rejected':
      return settle('failed', null, failure.error)
    case 'unknown-outcome':
      return {
        action: 'reconcile',
        verifyAfter: context.now + context.graceMs,
        error: outcomeUnknownError(item.kind, failure.error)
      }
    case 'unexpected':
      return {
        action: 'reconcile',
        verifyAfter: context.now + context.graceMs,
        error: failure.error
      }
  }
}
