import type { ActionKind, ActionOutcome, KeyRequest, OutboxItem } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { Outbox } from '../outbox/outbox'
import type { ProfileService } from '../profiles/profile-service'
import { actionMessage } from './action-message'

export interface ActionRef {
  profileId: string
  requestId: string
}

export interface ActionRunner {
  /** Queues an approval, starts sending it, and answers its outcome or that it is queued. */
  approve(ref: ActionRef): Promise<ActionOutcome>
  /** Queues a decline (DELETE on the portal), as `approve` does. */
  decline(ref: ActionRef & { reason?: string }): Promise<ActionOutcome>
  /**
   * The items of a replay problem report that deserve a notification: those an approve or
   * decline is waiting on, whose outcome its answer shows, are left out.
   */
  unannounced(items: readonly OutboxItem[]): OutboxItem[]
}

export interface ActionRunnerDeps {
  outbox: Pick<Outbox, 'enqueue' | 'waitForSettled'>
  profiles: Pick<ProfileService, 'get' | 'list'>
  /** The request as last listed, for the labels the outbox keeps; null when not listed. */
  knownRequest(profileId: string, requestId: string): KeyRequest | null
  /** The credential an approval brought back, while the vault holds it. */
  keyIdFor(opId: string): string | null
  /** Starts sending the profile's queue now (never throws). */
  flush(profileId: string): void
  /** How long to wait for an outcome before answering with the action as it stands. */
  waitMs: number
}

function labelOf(request: KeyRequest | null): OutboxItem['label'] {
  return {
    developerEmail: request?.developer.email ?? null,
    catalogueName: request?.catalogue?.name ?? request?.catalogues[0]?.name ?? null
  }
}

/**
 * Approve and decline as the user triggers them: every action goes through the durable outbox
 * (docs/architecture.md#approve-decline), so an unreachable portal answers "queued", never an
 * error, and the action is sent
 * exactly once when the portal is back.
 */
export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  /** Actions an approve or decline is waiting on: their outcome goes in its answer. */
  const answering = new Set<string>()

  const run = async (
    ref: ActionRef,
    kind: ActionKind,
    reason: string | null
  ): Promise<ActionOutcome> => {
    const profile = deps.profiles.get(ref.profileId)
    const known = deps.knownRequest(ref.profileId, ref.requestId)
    if (known?.unreadable) {
      throw new AppFailure(
        'VALIDATION',
        `Keygate could not read this request from the Dashboard (${known.unreadable}), so it cannot check it before acting: ${kind} it on the Dashboard.`
      )
    }
    const queued = deps.outbox.enqueue({
      profileId: ref.profileId,
      requestId: ref.requestId,
      kind,
      reason,
      label: labelOf(known)
    })
    // The outbox writes the outcome (the decision log records it from that write) and reports
    // problems before this wait ends: while it lasts, the answer is how the user hears of them.
    answering.add(queued.opId)
    deps.flush(ref.profileId)
    let item: OutboxItem
    try {
      item = await deps.outbox.waitForSettled(queued.opId, deps.waitMs)
    } finally {
      answering.delete(queued.opId)
    }
    const keyId = kind === 'approve' && item.state === 'done' ? deps.keyIdFor(item.opId) : null
    return {
      opId: item.opId,
      state: item.state,
      keyId,
      message: actionMessage(item, profile.name, keyId !== null)
    }
  }

  return {
    approve: (ref) => run(ref, 'approve', null),
    decline: (ref) => run(ref, 'decline', ref.reason?.trim() || null),
    unannounced: (items) => items.filter((item) => !answering.has(item.opId))
  }
}
