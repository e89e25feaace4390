import packageJson from '../../../package.json' with { type: 'json' }
import { Emitter } from '../../shared/emitter'
import type { InvokeHandlers, PushMessage } from '../../shared/ipc'
import type { AppCore, AppCoreDeps } from './app-core-types'
import { createActionRunner } from './decisions/action-runner'
import { createDecisionLog } from './decisions/decision-log'
import { createNodeTransport } from './http/node-transport'
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
import { createSettingsService } from './settings/settings-service'
import { createTimedCredentialStore } from './profiles/timed-credential-store'
import { toAppError } from './errors'
import { appHandlers } from './handlers/app'
import { decisionHandlers } from './handlers/decisions'
import type { Push } from './handlers/handler-types'
import { keyHandlers } from './handlers/keys'
import { outboxHandlers } from './handlers/outbox'
import { profileHandlers } from './handlers/profiles'
import { requestHandlers } from './handlers/requests'
import { settingsHandlers } from './handlers/settings'
import { wireOutboxEffects } from './outbox-effects'
import { exportHandlers } from './handlers/export'
import { SyncService } from './sync/sync-service'
import { createTriageContext } from './triage/triage-context'

const { version } = packageJson

/** Store file of the outbox queue. */
export const OUTBOX_STORE = 'outbox'

/**
 * The composition root (docs/architecture.md#layers): profiles and their secrets, one portal
 * client per profile, the sync layer (cached lists, polling, connectivity, notifications), the
 * durable outbox every approve and decline goes through, the decision log and the in-memory key
 * vault, wired to each other here. The IPC channels are answered by the domain handlers of
 * `handlers/` (docs/architecture.md#handlers); state changes go out through `onPush`.
 */
export function createAppCore(deps: AppCoreDeps): AppCore {
  const clock = deps.clock ?? systemClock
  const transport = deps.transport ?? createNodeTransport({ resolveProxy: deps.resolveProxy })
  const tuning = deps.tuning ?? {}
  // Every secret and issued key is registered here, so no log line can carry one.
  const redactor = deps.redactor ?? createRedactor()
  const logger = createRedactingLogger(deps.logger, redactor)

  const pushes = new Emitter<PushMessage>((error, message) =>
    logger.error('A push listener failed', { event: message.event, error })
  )
  const push: Push = (event, payload) => pushes.emit({ event, payload } as PushMessage)

  // Every keychain call has a deadline: an unanswered unlock prompt must not hang the app.
  const keychain = createTimedCredentialStore(
    deps.credentials,
    clock,
    logger,
    tuning.keychainTimeoutMs
  )
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
  const settings = createSettingsService({
    store: deps.stores('settings'),
    logger,
    defaults: tuning.undoSeconds === undefined ? {} : { undoSeconds: tuning.undoSeconds }
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
  // Policies, catalogue and developers behind the flags: read per profile now and then, never
  // per row; a finished read re-lists that profile.
  const triage = createTriageContext({
    clientFor: client,
    clock,
    logger,
    onLoaded: (profileId) => {
      if (profileExists(profileId)) push('requests:changed', { profileIds: [profileId] })
    }
  })
  const actions = createActionRunner({
    outbox,
    profiles,
    knownRequest: (profileId, requestId) => sync.cached(profileId, requestId),
    keyIdFor: (opId) => vault.keyIdFor(opId),
    flush: (profileId) => flush(profileId),
    waitMs: tuning.actionWaitMs ?? 12_000,
    holdMs: () => settings.get().undoSeconds * 1000,
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

  wireOutboxEffects({
    outbox,
    overlay,
    decisions,
    sync,
    vault,
    actions,
    triage,
    profileExists,
    push,
    logger,
    userName: deps.userName
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
    triage.forget(change.id)
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

  // One spread per domain (docs/architecture.md#handlers); the type checks every channel is here.
  const handlers: InvokeHandlers = {
    ...appHandlers({ version, platform: process.platform, keychainStatus }),
    ...profileHandlers({
      profiles,
      figures: sync,
      adapters: portalAdapters,
      outbox,
      decisions,
      userName: deps.userName,
      testProfile,
      demo,
      summaries,
      push
    }),
    ...requestHandlers({ profiles, sync, overlay, client, actions, triage }),
    ...keyHandlers({
      vault,
      keyClipboard,
      fileSaver: deps.fileSaver,
      portalName: (profileId) =>
        profiles.list().find((profile) => profile.id === profileId)?.name ?? 'Removed portal',
      today: () => new Date(clock.now()).toISOString().slice(0, 10),
      push
    }),
    ...outboxHandlers({ outbox, flush }),
    ...decisionHandlers({ decisions, profiles }),
    ...settingsHandlers({ settings }),
    ...exportHandlers({
      fileSaver: deps.fileSaver,
      profiles,
      decisions,
      pending: () => overlay.pending(sync.view(undefined, 'pending')).items,
      triage,
      clock,
      logger
    })
  }

  return {
    handlers,
    onPush: (listener) => pushes.on(listener),
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
