import type {
  ActionKind,
  ActionOutcome,
  DecideManyResult,
  KeyRequest,
  OutboxItem,
  RefRefusal,
  UndoResult
} from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import { activeOutboxStates } from '../../../shared/outbox-states'
import type { Outbox } from '../outbox/outbox'
import type { PortalAdapterRegistry } from '../portal/portal-adapter'
import type { ProfileService } from '../profiles/profile-service'
import { actionMessage } from './action-message'

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
   * Queues one action per request in one store write and answers at once: what was queued (all
   * held for the undo window) and which requests were refused. Outcomes follow as outbox changes.
   */
  decideMany(args: { refs: ActionRef[]; kind: ActionKind; reason?: string }): DecideManyResult
  /** Cancels the actions still waiting for these requests (Undo), in one store write. */
  undo(refs: readonly ActionRef[]): UndoResult
  /**
   * The items of a replay problem report that deserve a notification: those an approve or
   * decline is waiting on, whose outcome its answer shows, are left out.
   */
  unannounced(items: readonly OutboxItem[]): OutboxItem[]
}

export interface ActionRunnerDeps {
  outbox: Pick<Outbox, 'enqueue' | 'enqueueMany' | 'waitForSettled' | 'list' | 'cancelMany'>
  profiles: Pick<ProfileService, 'get' | 'list'>
  /** The request as last listed, for the labels the outbox keeps; null when not listed. */
  knownRequest(profileId: string, requestId: string): KeyRequest | null
  /** The credential an approval brought back, while the vault holds it. */
  keyIdFor(opId: string): string | null
  /** Starts sending the profile's queue now (never throws). */
  flush(profileId: string): void
  /** How long to wait for an outcome (after the undo window) before answering with the action as it stands. */
  waitMs: number
  /** The undo window each new decision is held for before it is sent (the settings' `undoSeconds`). */
  holdMs(): number
  /** The answer's words follow what approve and decline do on the profile's kind of portal. */
  adapters: PortalAdapterRegistry
}

const noun = (kind: ActionKind): string => (kind === 'approve' ? 'approval' : 'decline')

function labelOf(request: KeyRequest | null): OutboxItem['label'] {
  return {
    developerEmail: request?.developer.email ?? null,
    catalogueName: request?.catalogue?.name ?? request?.catalogues[0]?.name ?? null
  }
}

const refKey = (ref: ActionRef): string => `${ref.profileId}\u0000${ref.requestId}`

/** Why a request cannot be decided from Keygate right now; null when it can. */
function unreadableProblem(known: KeyRequest | null, kind: ActionKind): string | null {
  return known?.unreadable
    ? `Keygate could not read this request from the Dashboard (${known.unreadable}), so it cannot check it before acting: ${kind} it on the Dashboard.`
    : null
}

/**
 * Approve and decline as the user triggers them: every action goes through the durable outbox
 * (docs/architecture.md#approve-decline), so an unreachable portal answers "queued", never an
 * error, and the action is sent
 * exactly once when the portal is back.
 */
export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  /**
   * Actions an approve or decline is waiting on, with how many wait: their outcome goes in its
   * answer. The same request decided twice joins one action, and the first answer must not
   * clear the second's wait.
   */
  const answering = new Map<string, number>()

  const run = async (
    ref: ActionRef,
    kind: ActionKind,
    reason: string | null
  ): Promise<ActionOutcome> => {
    const profile = deps.profiles.get(ref.profileId)
    const known = deps.knownRequest(ref.profileId, ref.requestId)
    const problem = unreadableProblem(known, kind)
    if (problem) throw new AppFailure('VALIDATION', problem)
    const holdMs = deps.holdMs()
    const queued = deps.outbox.enqueue(
      {
        profileId: ref.profileId,
        requestId: ref.requestId,
        kind,
        reason,
        label: labelOf(known)
      },
      { holdMs }
    )
    // The outbox writes the outcome (the decision log records it from that write) and reports
    // problems before this wait ends: while it lasts, the answer is how the user hears of them.
    answering.set(queued.opId, (answering.get(queued.opId) ?? 0) + 1)
    deps.flush(ref.profileId)
    let item: OutboxItem
    try {
      // The key comes back only after the undo window: the wait covers it.
      item = await deps.outbox.waitForSettled(queued.opId, holdMs + deps.waitMs)
    } finally {
      const waiting = (answering.get(queued.opId) ?? 1) - 1
      if (waiting > 0) answering.set(queued.opId, waiting)
      else answering.delete(queued.opId)
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

  const decideMany: ActionRunner['decideMany'] = ({ refs, kind, reason }) => {
    const profileIds = new Set(deps.profiles.list().map((profile) => profile.id))
    const active = new Map<string, OutboxItem>()
    for (const item of deps.outbox.list()) {
      if (activeOutboxStates.has(item.state)) active.set(refKey(item), item)
    }
    const holdMs = deps.holdMs()
    const refused: RefRefusal[] = []
    const accepted: ActionRef[] = []
    const seen = new Set<string>()
    const refuse = (ref: ActionRef, message: string): void => {
      refused.push({ profileId: ref.profileId, requestId: ref.requestId, message })
    }
    for (const ref of refs) {
      const key = refKey(ref)
      if (seen.has(key)) continue
      seen.add(key)
      if (!profileIds.has(ref.profileId)) {
        refuse(ref, 'Its portal profile no longer exists in Keygate.')
        continue
      }
      const queued = active.get(key)
      if (queued) {
        refuse(ref, `Already queued: ${noun(queued.kind)} ${queued.state}; see the outbox.`)
        continue
      }
      const problem = unreadableProblem(deps.knownRequest(ref.profileId, ref.requestId), kind)
      if (problem) refuse(ref, problem)
      else accepted.push(ref)
    }
    const items = deps.outbox.enqueueMany(
      accepted.map((ref) => ({
        profileId: ref.profileId,
        requestId: ref.requestId,
        kind,
        reason: kind === 'decline' ? reason?.trim() || null : null,
        label: labelOf(deps.knownRequest(ref.profileId, ref.requestId))
      })),
      { holdMs }
    )
    // Held items wait for the outbox's own timer; without a window they go out now.
    for (const profileId of new Set(accepted.map((ref) => ref.profileId))) deps.flush(profileId)
    return {
      accepted: items.map((item) => ({
        profileId: item.profileId,
        requestId: item.requestId,
        opId: item.opId
      })),
      refused,
      sendAfter: holdMs > 0 ? (items[0]?.sendAfter ?? null) : null
    }
  }

  const undo: ActionRunner['undo'] = (refs) => {
    const wanted = new Map(refs.map((ref) => [refKey(ref), ref]))
    const waiting = new Map<string, OutboxItem>()
    for (const item of deps.outbox.list()) {
      const key = refKey(item)
      if (wanted.has(key) && activeOutboxStates.has(item.state)) waiting.set(item.opId, item)
    }
    const refused: RefRefusal[] = []
    const found = new Set([...waiting.values()].map(refKey))
    for (const [key, ref] of wanted) {
      if (!found.has(key)) {
        refused.push({ ...ref, message: 'Nothing to undo: no action is waiting for this request.' })
      }
    }
    const notCancelled = deps.outbox.cancelMany([...waiting.keys()])
    for (const { opId, message } of notCancelled) {
      const item = waiting.get(opId)
      if (item) {
        refused.push({
          profileId: item.profileId,
          requestId: item.requestId,
          message: `Too late to undo: ${message}`
        })
      }
    }
    return { cancelled: waiting.size - notCancelled.length, refused }
  }

  return {
    approve: (ref) => run(ref, 'approve', null),
    decline: (ref) => run(ref, 'decline', ref.reason?.trim() || null),
    decideMany,
    undo,
    unannounced: (items) => items.filter((item) => !answering.has(item.opId))
  }
}
