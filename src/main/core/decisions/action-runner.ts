import type { ActionKind, ActionOutcome, KeyRequest, OutboxItem } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import { problemOutboxStates } from '../../../shared/outbox-states'
import type { Outbox } from '../outbox/outbox'
import type { PortalAdapterRegistry } from '../portal/portal-adapter'
import type { ProfileService } from '../profiles/profile-service'
import { actionMessage } from './action-message'
import { decisionFor, type DecisionLog } from './decision-log'

export interface ActionRef {
  profileId: string
  requestId: string
}

export interface ActionRunner {
  /** Queues an approval, starts sending it, and answers its outcome or that it is queued. */
  approve(ref: ActionRef): Promise<ActionOutcome>
  /** Queues a decline (what it does on the portal: `PortalCapabilities.decline`), as `approve` does. */
  decline(ref: ActionRef & { reason?: string }): Promise<ActionOutcome>
  /**
   * The items of a replay problem report that deserve a notification: those whose outcome an
   * approve or decline is answering (or answered) to the user right now are left out.
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
  decisions: Pick<DecisionLog, 'record'>
  /** Recorded as who decided. */
  userName: string
  /** The answer's words follow what approve and decline do on the profile's kind of portal. */
  adapters: PortalAdapterRegistry
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
  /** Actions whose outcome the user is being (or was just) shown by the call itself. */
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
    answering.add(queued.opId)
    let item: OutboxItem
    try {
      deps.flush(ref.profileId)
      item = await deps.outbox.waitForSettled(queued.opId, deps.waitMs)
    } catch (thrown) {
      answering.delete(queued.opId)
      throw thrown
    }
    // A problem shown here needs no notification; one still to come (the action is queued) does.
    if (!problemOutboxStates.has(item.state)) answering.delete(item.opId)
    // The outbox writes a flush's outcomes in one batch at its end: the log agrees with the reply
    // now, unless the profile (and its log) was deleted meanwhile.
    if (deps.profiles.list().some((p) => p.id === item.profileId)) {
      deps.decisions.record([decisionFor(item, deps.userName)])
    }
    const keyId = kind === 'approve' && item.state === 'done' ? deps.keyIdFor(item.opId) : null
    return {
      opId: item.opId,
      state: item.state,
      keyId,
      message: actionMessage(
        item,
        { name: profile.name, capabilities: deps.adapters.adapterFor(profile.kind).capabilities },
        keyId !== null
      )
    }
  }

  return {
    approve: (ref) => run(ref, 'approve', null),
    decline: (ref) => run(ref, 'decline', ref.reason?.trim() || null),
    unannounced: (items) => items.filter((item) => !answering.delete(item.opId))
  }
}
