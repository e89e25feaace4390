import type { OutboxItem } from '../../shared/domain'
import { leftPendingOutboxStates } from '../../shared/outbox-states'
import type { ActionRunner } from './decisions/action-runner'
import { decisionFor, type DecisionLog } from './decisions/decision-log'
import type { Push } from './handlers/handler-types'
import type { KeyVault } from './keys/key-vault'
import type { ListOverlay } from './outbox/list-overlay'
import type { Outbox } from './outbox/outbox'
import type { Logger } from './ports'
import type { SyncService } from './sync/sync-service'

export interface OutboxEffectsDeps {
  outbox: Pick<Outbox, 'list' | 'onChange' | 'onCredential' | 'onSettled'>
  overlay: Pick<ListOverlay, 'update'>
  decisions: Pick<DecisionLog, 'record' | 'flush'>
  sync: Pick<SyncService, 'changedOnPortal' | 'notifyReplayProblems'>
  vault: Pick<KeyVault, 'add' | 'list'>
  actions: Pick<ActionRunner, 'unannounced'>
  profileExists: (profileId: string) => boolean
  push: Push
  logger: Logger
  /** OS user name, recorded in the decision log. */
  userName: string
}

/**
 * What an outbox change sets off, once per change: the `outbox:changed` push, the decision log,
 * a re-read of the portals whose pending list it changed, the request-list overlay, issued keys
 * into the vault and one notification per replay that ended in problems. Call once, before the
 * outbox starts.
 */
export function wireOutboxEffects(deps: OutboxEffectsDeps): void {
  const { outbox, overlay, decisions, sync, vault, push, logger, userName } = deps

  /** Last state seen per action, so each change is logged and acted on once. */
  let knownStates = new Map(outbox.list().map((item) => [item.opId, item.state]))
  overlay.update(outbox.list())
  // The log trails the outbox by a batched write: whatever a crash left out is recorded again,
  // and written before recovery can prune the items it came from (nothing to write, usually).
  try {
    decisions.record(outbox.list().map((item) => decisionFor(item, userName)))
    decisions.flush()
  } catch (e) {
    // A damaged decisions file must not keep the app from starting; it is reported, not wiped.
    logger.error('Could not bring the decision log up to date', { error: e })
  }

  outbox.onChange((items: OutboxItem[]) => {
    push('outbox:changed', items)
    const moved = items.filter((item) => knownStates.get(item.opId) !== item.state)
    knownStates = new Map(items.map((item) => [item.opId, item.state]))
    // Recorded when queued and updated as it moves on: the only trace a decline leaves.
    decisions.record(moved.map((item) => decisionFor(item, userName)))
    // Those outcomes changed the portal's pending list: worth re-reading.
    const touched = new Set(
      moved.filter((item) => leftPendingOutboxStates.has(item.state)).map((item) => item.profileId)
    )
    for (const profileId of touched) sync.changedOnPortal(profileId)
    const profileIds = overlay.update(items)
    if (profileIds.length > 0) push('requests:changed', { profileIds })
  })
  outbox.onCredential((item, credential) => {
    if (!deps.profileExists(item.profileId)) {
      logger.warn('Discarded the key of an approval whose profile was deleted meanwhile', {
        opId: item.opId
      })
      return
    }
    const { developerEmail, catalogueName } = item.label
    vault.add(
      { profileId: item.profileId, requestId: item.requestId, developerEmail, catalogueName },
      credential,
      item.opId
    )
    // Also for approvals sent in the background: the renderer shows "key ready".
    push('keys:changed', vault.list())
  })
  outbox.onSettled((items) => {
    const unseen = deps.actions.unannounced(items)
    const first = unseen[0]
    if (first) sync.notifyReplayProblems(first.profileId, unseen)
  })
}
