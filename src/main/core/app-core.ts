import packageJson from '../../../package.json' with { type: 'json' }
import type { PushEvents, PushMessage, PushChannel, InvokeHandlers } from '../../shared/ipc'
import { AppFailure } from '../../shared/result'
import type { AppCore, AppCoreDeps } from './app-core-types'
import { createDecisionLog } from './decisions/decision-log'
import { createDirectActions } from './decisions/direct-actions'
import { createNodeTransport } from './http/node-transport'
import { createKeyVault } from './keys/key-vault'
import { createRedactingLogger, createRedactor } from './logging/redactor'
import { testConnection } from './portal/connection-test'
import { createTykClassicClient } from './portal/tyk-classic-client'
import { systemClock } from './ports'
import { createPortalClientPool } from './profiles/client-pool'
import { createConnectionTester } from './profiles/connection-tester'
import { createDemoPortalManager } from './profiles/demo-portal'
import { createLiveRequests } from './profiles/live-requests'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createProfileService } from './profiles/profile-service'
import { createProfileStatus } from './profiles/profile-status'
import { profileSummaries } from './profiles/profile-summaries'

const { version } = packageJson

const noQueuedAction = (): never => {
  throw new AppFailure('NOT_FOUND', 'No queued action with that id: it may have finished already.')
}

/**
 * Composes the core: profiles and their secrets, one portal client per profile, live request
 * lists, direct approve/decline with the local decision log, and the in-memory key vault. Every
 * IPC channel is one entry of `handlers`; state changes go out through `onPush`.
 */
export function createAppCore(deps: AppCoreDeps): AppCore {
  const clock = deps.clock ?? systemClock
  const transport = deps.transport ?? createNodeTransport()
  // Every secret and issued key is registered here, so no log line can carry one.
  const redactor = createRedactor()
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

  const profiles = createProfileService({
    store: deps.stores('profiles'),
    keychain: deps.credentials,
    session: createMemoryCredentialStore(),
    redactor,
    logger,
    clock
  })
  const status = createProfileStatus(clock)
  const pool = createPortalClientPool({
    profiles,
    status,
    transport,
    logger,
    createClient: createTykClassicClient
  })
  const vault = createKeyVault({ redactor, clock })
  const decisions = createDecisionLog(deps.stores('decisions'), logger)
  const live = createLiveRequests({ profiles, pool, status, clock })
  const actions = createDirectActions({
    pool,
    vault,
    decisions,
    logger,
    userName: deps.userName,
    clock
  })
  const demo = createDemoPortalManager({
    profiles,
    keychain: deps.credentials,
    logger,
    startDemoPortal: deps.startDemoPortal
  })
  const testProfile = createConnectionTester({
    profiles,
    redactor,
    transport,
    logger,
    test: testConnection
  })

  const pushProfiles = async (): Promise<void> => {
    try {
      push('profiles:changed', await profileSummaries(profiles, status))
    } catch (e) {
      logger.error('Could not build profile summaries', { error: e })
    }
  }
  /** Runs `fn`, then pushes fresh summaries if a pending count or connectivity moved meanwhile. */
  const watched = async <T>(fn: () => Promise<T>): Promise<T> => {
    const before = status.version()
    try {
      return await fn()
    } finally {
      if (status.version() !== before) void pushProfiles()
    }
  }
  const client = (profileId: string) => pool.client(profileId)

  profiles.onChange((change) => {
    if (change.kind === 'created') return
    pool.invalidate(change.id)
    if (change.kind !== 'deleted') return
    status.forget(change.id)
    decisions.forgetProfile(change.id)
    if (vault.forgetProfile(change.id)) push('keys:changed', vault.list())
    void demo.forgetProfile(change.id)
    push('requests:changed', { profileIds: [change.id] })
  })
  status.onConnectivity((profileId, connectivity) =>
    push('connectivity:changed', { profileId, connectivity })
  )

  const handlers: InvokeHandlers = {
    'app:info': async () => ({
      version,
      platform: process.platform,
      keychain: await deps.credentials.status()
    }),
    'profiles:list': () => profileSummaries(profiles, status),
    'profiles:create': async (input) => {
      const profile = await profiles.create(input)
      void pushProfiles()
      return profile
    },
    'profiles:update': async ({ id, patch }) => {
      const profile = await profiles.update(id, patch)
      void pushProfiles()
      push('requests:changed', { profileIds: [id] })
      return profile
    },
    'profiles:delete': async ({ id }) => {
      await profiles.delete(id)
      void pushProfiles()
      return null
    },
    'profiles:test': (args) => testProfile(args),
    'demo:start': async () => {
      const profile = await demo.start()
      void pushProfiles()
      return profile
    },
    'requests:list': (args) => watched(() => live.list(args)),
    'requests:get': ({ profileId, requestId }) =>
      watched(async () => (await client(profileId)).getRequest(requestId)),
    'requests:approve': (ref) =>
      watched(async () => {
        const { outcome, notice } = await actions.approve(ref)
        if (notice) push('keys:changed', vault.list())
        push('requests:changed', { profileIds: [ref.profileId] })
        return outcome
      }),
    'requests:decline': (args) =>
      watched(async () => {
        const outcome = await actions.decline(args)
        push('requests:changed', { profileIds: [args.profileId] })
        return outcome
      }),
    'requests:create': ({ profileId, developerId, policyIds, fields }) =>
      watched(async () => {
        const id = await (
          await client(profileId)
        ).createRequest({ developerId, policyIds, fields: fields ?? {} })
        push('requests:changed', { profileIds: [profileId] })
        return { id }
      }),
    'developers:list': ({ profileId }) =>
      watched(async () => (await client(profileId)).listDevelopers()),
    'policies:list': ({ profileId }) =>
      watched(async () => (await client(profileId)).listPolicies()),
    'keys:list': async () => vault.list(),
    'keys:reveal': async ({ keyId }) => vault.reveal(keyId),
    'keys:dismiss': async ({ keyId }) => {
      if (vault.dismiss(keyId)) push('keys:changed', vault.list())
      return null
    },
    'outbox:list': async () => [],
    'outbox:retry': async () => noQueuedAction(),
    'outbox:cancel': async () => noQueuedAction(),
    'decisions:list': async ({ profileId }) => {
      profiles.get(profileId)
      return decisions.list(profileId)
    }
  }

  return {
    handlers,
    onPush(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async start() {
      const keychain = await deps.credentials.status()
      logger.info('Keygate core started', {
        version,
        profiles: profiles.list().length,
        keychain: keychain.available
      })
      // A saved demo profile points at last run's portal: bring the demo back up behind it.
      if (deps.startDemoPortal && profiles.list().some((profile) => profile.demo)) {
        try {
          await demo.start()
          void pushProfiles()
        } catch (e) {
          logger.warn('Could not restart the demo portal', { error: e })
        }
      }
    },
    async stop() {
      await demo.stop()
      logger.info('Keygate core stopped')
    },
    windowFocused() {
      // Lists are read live on every requests:list, so there is nothing stale to refresh yet.
    }
  }
}
