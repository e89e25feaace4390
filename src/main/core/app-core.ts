import packageJson from '../../../package.json' with { type: 'json' }
import type { OutboxItem } from '../../shared/domain'
import type { PushEvents, PushMessage, PushChannel, InvokeHandlers } from '../../shared/ipc'
import { leftPendingOutboxStates } from '../../shared/outbox-states'
import type { AppCore, AppCoreDeps } from './app-core-types'
import { createActionRunner } from './decisions/action-runner'
import { createDecisionLog, decisionFor } from './decisions/decision-log'
import { createNodeTransport } from './http/node-transport'
import { credentialField } from './keys/credential-field'
import { createKeyClipboard } from './keys/key-clipboard'
import { createKeyVault } from './keys/key-vault'
import { createRedactingLogger, createRedactor } from './logging/redactor'
import { ListOverlay } from './outbox/list-overlay'
import { Outbox } from './outbox/outbox'
import type { FlushOptions } from './outbox/outbox-types'
import { portalAdapters } from './portal/adapters'
import { systemClock } from './ports'
import { createPortalClientPool } from './profiles/client-pool'
import { createConnectionTester } from './profiles/connection-tester'
import { createDemoPortalManager } from './profiles/demo-portal'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createProfileService } from './profiles/profile-service'
import { profileSummaries } from './profiles/profile-summaries'
import { createSummaryPusher } from './profiles/summary-pusher'
import { requestDetailView, requestView } from './request-view'
import { createTimedCredentialStore } from './profiles/timed-credential-store'
import { toAppError } from './errors'
import { SyncService } from './sync/sync-service'

const { version } = packageJson

/** Store file of the outbox queue. */
export const OUTBOX_STORE = 'outbox'

/**
 * Composes the core (docs/architecture.md#layers): profiles and their secrets, one portal client
 * per profile, the
 * sync layer (cached lists, polling, connectivity, notifications), the durable outbox every
 * approve and decline goes through, the decision log and the in-memory key vault. Every IPC
 * channel is one entry of `handlers`; state changes go out through `onPush`.
 */
export function createAppCore(deps: AppCoreDeps): AppCore {
  const clock = deps.clock ?? systemClock
  const transport = deps.transport ?? createNodeTransport({ resolveProxy: deps.resolveProxy })
  const tuning = deps.tuning ?? {}
  // Every secret and issued key is registered here, so no log line can carry one.
  const redactor = deps.redactor ?? createRedactor()
  const logger = createRedactingLogger(deps.logger, redactor)

  const listeners = new Set<(message: PushMessage) => void>()
  const push = <E extends PushChannel>(event: E, payload: PushEvents[E]): void => {
    const message = { event, payload } as PushMessage
    for (const listener of listeners) {
      try {
        listener(message)
      } catch (e) {
        logger.error('A push listener failed', { event, error: e })
      }
    }
  }

  // Every keychain call has a deadline: an unanswered unlock prompt must not hang the app.
  const keychain = createTimedCredentialStore(deps.credentials, clock, tuning.keychainTimeoutMs)
  const keychainStatus = () =>
    keychain.status().catch((e: unknown) => ({ available: false, message: toAppError(e).message }))
  const profiles = createProfileService({
    store: deps.stores('profiles'),
    keychain,
    session: createMemoryCredentialStore(),
    redactor,
    logger,
    clock
  })
  const profileExists = (id: string): boolean => profiles.list().some((p) => p.id === id)
  const pool = createPortalClientPool({
    profiles,
    // Every call's outcome, the outbox's included, feeds the profile's connectivity.
    onOutcome: (profileId, error) => sync.recordOutcome(profileId, error),
    transport,
    logger,
    redactor,
    adapters: portalAdapters,
    clock,
    callCeiling: tuning.callCeiling
  })
  const client = (profileId: string) => pool.client(profileId)
  const vault = createKeyVault({
    redactor,
    clock,
    onExpired: (notice) => {
      logger.warn('An issued key was not revealed within 10 minutes and has been dropped', {
        profileId: notice.profileId,
        requestId: notice.requestId
      })
      push('keys:changed', vault.list())
    }
  })
  const keyClipboard = createKeyClipboard({
    clipboard: deps.clipboard,
    clock,
    logger,
    platform: process.platform
  })
  const decisions = createDecisionLog({ store: deps.stores('decisions'), logger, clock })
  const overlay = new ListOverlay()
  const outbox = new Outbox({
    ...tuning.outbox,
    store: deps.stores(OUTBOX_STORE),
    clientFor: client,
    clock,
    logger
  })
  const flush = (profileId?: string, options?: FlushOptions): void => {
    outbox.flush(profileId, options).catch((e: unknown) => {
      logger.error('Outbox flush failed', { profileId: profileId ?? null, error: e })
    })
  }
  const summaries = createSummaryPusher({
    build: () => profileSummaries(profiles, sync, portalAdapters),
    push: (payload) => push('profiles:changed', payload),
    clock,
    logger,
    delayMs: tuning.summaryDelayMs ?? 100
  })
  const sync: SyncService = new SyncService({
    ...tuning.sync,
    stores: deps.stores,
    clock,
    notifier: deps.notifier,
    logger,
    clientFor: client,
    getProfiles: () => profiles.list(),
    onListsChanged: (profileIds) => {
      push('requests:changed', { profileIds })
      summaries.schedule()
    },
    onConnectivity: (profileId, connectivity) => {
      push('connectivity:changed', { profileId, connectivity })
      summaries.schedule()
    },
    onNotificationClick: (profileId, requestId) =>
      push('notification:clicked', { profileId, requestId }),
    // Queued actions go out as soon as their portal answers again, not after the backoff its
    // outage set; what the Dashboard said about an item itself (5xx, Retry-After) still holds.
    onReconnected: (profileId) => flush(profileId, { ignoreBackoff: true })
  })
  const actions = createActionRunner({
    outbox,
    profiles,
    knownRequest: (profileId, requestId) => sync.cached(profileId, requestId),
    keyIdFor: (opId) => vault.keyIdFor(opId),
    flush: (profileId) => flush(profileId),
    waitMs: tuning.actionWaitMs ?? 12_000,
    decisions,
    userName: deps.userName,
    adapters: portalAdapters
  })
  const demo = createDemoPortalManager({
    profiles,
    keychain,
    logger,
    startDemoPortal: deps.startDemoPortal
  })
  const testProfile = createConnectionTester({
    profiles,
    redactor,
    transport,
    logger,
    adapters: portalAdapters
  })

  /** Last state seen per action, so each change is logged and acted on once. */
  let knownStates = new Map(outbox.list().map((item) => [item.opId, item.state]))
  overlay.update(outbox.list())
  // The log trails the outbox by a batched write: whatever a crash left out is recorded again,
  // and written before recovery can prune the items it came from (nothing to write, usually).
  try {
    decisions.record(outbox.list().map((item) => decisionFor(item, deps.userName)))
    decisions.flush()
  } catch (e) {
    // A damaged decisions file must not keep the app from starting; it is reported, not wiped.
    logger.error('Could not bring the decision log up to date', { error: e })
  }

  const outboxChanged = (items: OutboxItem[]): void => {
    push('outbox:changed', items)
    const moved = items.filter((item) => knownStates.get(item.opId) !== item.state)
    knownStates = new Map(items.map((item) => [item.opId, item.state]))
    // Recorded when queued and updated as it moves on: the only trace a decline leaves.
    decisions.record(moved.map((item) => decisionFor(item, deps.userName)))
    // Those outcomes changed the portal's pending list: worth re-reading.
    const touched = new Set(
      moved.filter((item) => leftPendingOutboxStates.has(item.state)).map((item) => item.profileId)
    )
    for (const profileId of touched) sync.changedOnPortal(profileId)
    const profileIds = overlay.update(items)
    if (profileIds.length > 0) push('requests:changed', { profileIds })
  }
  outbox.onChange(outboxChanged)
  outbox.onCredential((item, credential) => {
    if (!profileExists(item.profileId)) {
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
    const unseen = actions.unannounced(items)
    const first = unseen[0]
    if (first) sync.notifyReplayProblems(first.profileId, unseen)
  })

  // Actions parked because the keychain did not answer go out once it answers again.
  keychain.onRecovered(() => {
    for (const profile of profiles.list()) {
      if (outbox.requeueProfile(profile.id, 'KEYCHAIN_UNAVAILABLE') > 0) flush(profile.id)
    }
  })

  profiles.onChange((change) => {
    summaries.schedule()
    if (change.kind === 'created') {
      sync.profilesChanged()
      return
    }
    pool.invalidate(change.id)
    if (change.kind === 'updated') {
      sync.profilesChanged()
      // A fixed secret or URL should show its portal's requests now, not at the next poll.
      sync.changedOnPortal(change.id)
      // A new secret, URL or TLS setting may be what parked actions were waiting for.
      outbox.requeueProfile(change.id)
      flush(change.id, { ignoreBackoff: true })
      return
    }
    outbox.dropProfile(change.id)
    sync.profileRemoved(change.id)
    if (vault.forgetProfile(change.id)) push('keys:changed', vault.list())
    void demo.forgetProfile(change.id)
    push('requests:changed', { profileIds: [change.id] })
  })

  const handlers: InvokeHandlers = {
    'app:info': async () => ({
      version,
      platform: process.platform,
      keychain: await keychainStatus()
    }),
    'profiles:list': () => profileSummaries(profiles, sync, portalAdapters),
    'profiles:create': (input) => profiles.create(input),
    'profiles:update': async ({ id, patch }) => {
      const profile = await profiles.update(id, patch)
      push('requests:changed', { profileIds: [id] })
      return profile
    },
    'profiles:delete': async ({ id, pendingActions }) => {
      const { name } = profiles.get(id)
      if (pendingActions === 'send') await outbox.flush(id, { ignoreBackoff: true })
      if (pendingActions === 'cancel') outbox.cancelProfile(id)
      // Never drop what an admin decided without asking: the renderer offers send or cancel.
      const counts = outbox.pendingCounts(id)
      if (counts.queued + counts.failed > 0) return { deleted: false, ...counts }
      decisions.markRemoved(id, name)
      await profiles.delete(id)
      return { deleted: true, queued: 0, failed: 0 }
    },
    'profiles:test': (args) => testProfile(args),
    'demo:start': async () => {
      const profile = await demo.start()
      summaries.schedule()
      return profile
    },
    'requests:list': async (args) => {
      if (args.profileId !== undefined) profiles.get(args.profileId)
      const view = await sync.list(args, overlay.queued)
      const shown = args.status === 'pending' ? overlay.pending(view) : view
      return { ...shown, items: shown.items.map(requestView) }
    },
    'requests:get': async ({ profileId, requestId }) => {
      const detail = await (await client(profileId)).getRequest(requestId)
      return requestDetailView({ ...detail, queued: overlay.queued(profileId, requestId) })
    },
    'requests:approve': (ref) => actions.approve(ref),
    'requests:decline': (args) => actions.decline(args),
    'requests:create': async ({ profileId, developerId, policyIds, fields }) => {
      const id = await (
        await client(profileId)
      ).createRequest({ developerId, policyIds, fields: fields ?? {} })
      sync.changedOnPortal(profileId)
      return { id }
    },
    'developers:list': async ({ profileId }) => (await client(profileId)).listDevelopers(),
    'policies:list': async ({ profileId }) => (await client(profileId)).listPolicies(),
    'keys:list': async () => vault.list(),
    'keys:reveal': async ({ keyId }) => vault.reveal(keyId),
    'keys:copy': ({ keyId, field }) =>
      keyClipboard.copy(credentialField(vault.reveal(keyId), field)),
    'keys:dismiss': async ({ keyId }) => {
      if (vault.dismiss(keyId)) push('keys:changed', vault.list())
      return null
    },
    'outbox:list': async () => outbox.list(),
    'outbox:retry': async ({ opId }) => {
      outbox.retry(opId)
      const item = outbox.get(opId)
      if (item) flush(item.profileId, { ignoreBackoff: true })
      return null
    },
    'outbox:cancel': async ({ opId }) => {
      outbox.cancel(opId)
      return null
    },
    'decisions:list': async ({ profileId }) => {
      // A deleted portal's log stays readable; an id nothing was ever logged for is unknown.
      const entries = decisions.list(profileId)
      if (entries.length === 0) profiles.get(profileId)
      return entries
    }
  }

  return {
    handlers,
    onPush(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async start() {
      const status = await keychainStatus()
      logger.info('Keygate core starting', {
        version,
        profiles: profiles.list().length,
        queued: outbox.list().filter((item) => item.state === 'queued').length,
        keychain: status.available
      })
      // Before anything else reaches a portal: re-check every action left mid-send.
      try {
        await outbox.recover()
      } catch (e) {
        logger.error('Could not reconcile interrupted outbox actions', { error: e })
      }
      outbox.start()
      // Keychain entries a deleted profile left behind while the keychain was down.
      profiles.deleteLeftoverSecrets().catch((e: unknown) => {
        logger.warn('Could not go through the API keys of deleted profiles', { error: e })
      })
      // Actions queued in an earlier session go out now, not when their old backoff ends.
      flush(undefined, { ignoreBackoff: true })
      // A saved demo profile points at last run's portal: bring the demo back up behind it.
      if (deps.startDemoPortal && profiles.list().some((profile) => profile.demo)) {
        try {
          await demo.start()
        } catch (e) {
          logger.warn('Could not restart the demo portal', { error: e })
        }
      }
      sync.start()
      summaries.schedule()
      logger.info('Keygate core started')
    },
    async stop() {
      // First: a key left on the clipboard must not outlive the app, whatever fails later.
      try {
        await keyClipboard.clearNow()
      } catch (e) {
        logger.warn('Could not clear a copied key from the clipboard', { error: String(e) })
      }
      summaries.stop()
      await outbox.stop()
      await sync.stop()
      decisions.flush()
      await demo.stop()
      logger.info('Keygate core stopped')
    },
    windowFocused() {
      sync.windowFocused()
    }
  }
}
