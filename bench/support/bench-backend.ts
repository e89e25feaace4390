import { createNodeTransport } from '../../src/main/core/http/node-transport'
import { systemClock } from '../../src/main/core/ports'
import { portalAdapters } from '../../src/main/core/portal/adapters'
import type { PortalClient } from '../../src/main/core/portal/portal-client'
import { createConfStoreFactory } from '../../src/main/core/storage/conf-store'
import { SyncService } from '../../src/main/core/sync/sync-service'
import type { Profile } from '../../src/shared/domain'
import type { InvokeHandlers, PushChannel, PushEvents, PushMessage } from '../../src/shared/ipc'
import { AppFailure } from '../../src/shared/result'
import type { EmulatorProcess } from './emulator-process'
import { clientFor, profileFor } from './profiles'
import { countingNotifier, quietLogger } from './quiet'

export interface BenchBackend {
  profiles: Profile[]
  sync: SyncService
  handlers: InvokeHandlers
  /** Sends a push to the page (when one is attached). */
  push<E extends PushChannel>(event: E, payload: PushEvents[E]): void
  onPush(listener: (message: PushMessage) => void): () => void
  stop(): Promise<void>
}

const notInBenchmark = async (): Promise<never> => {
  throw new AppFailure('INTERNAL', 'Not available in the benchmark backend.')
}

/**
 * The main-process side the renderer benchmarks talk to: the real SyncService (production
 * client, transport and conf stores) over emulators, behind the real IPC contract. Only the
 * channels the inbox uses answer; lists come from the sync cache, as `requests:list` does in
 * the app, so the benchmark decides when data arrives (a poll, then a push).
 */
export function createBenchBackend(emulators: EmulatorProcess[], storeDir: string): BenchBackend {
  const profiles = emulators.map((emulator, index) => profileFor(emulator, index))
  const transport = createNodeTransport()
  const clients = new Map<string, PortalClient>(
    profiles.map((profile, index) => [
      profile.id,
      clientFor(profile, emulators[index] as EmulatorProcess, transport)
    ])
  )
  const listeners = new Set<(message: PushMessage) => void>()
  const push = <E extends PushChannel>(event: E, payload: PushEvents[E]): void => {
    const message = { event, payload } as PushMessage
    for (const listener of listeners) listener(message)
  }
  const sync = new SyncService({
    stores: createConfStoreFactory(storeDir),
    clock: systemClock,
    notifier: countingNotifier(),
    logger: quietLogger,
    clientFor: async (profileId) => {
      const client = clients.get(profileId)
      if (!client) throw new AppFailure('NOT_FOUND', `No profile ${profileId}`)
      return client
    },
    getProfiles: () => profiles
  })
  const handlers: InvokeHandlers = {
    'app:info': async () => ({
      version: 'bench',
      platform: process.platform,
      keychain: { available: true, message: null }
    }),
    'profiles:list': async () =>
      profiles.map((profile) => ({
        ...profile,
        capabilities: portalAdapters.adapterFor(profile.kind).capabilities,
        hasSecret: true,
        pendingCount: sync.pendingCount(profile.id),
        connectivity: sync.connectivity(profile.id)
      })),
    'requests:list': async (args) => sync.view(args.profileId, args.status),
    'keys:list': async () => [],
    'outbox:list': async () => [],
    'decisions:list': async () => [],
    'decisions:removedPortals': async () => [],
    'profiles:create': notInBenchmark,
    'profiles:update': notInBenchmark,
    'profiles:delete': notInBenchmark,
    'profiles:test': notInBenchmark,
    'demo:start': notInBenchmark,
    'requests:get': notInBenchmark,
    'requests:approve': notInBenchmark,
    'requests:decline': notInBenchmark,
    'requests:decideMany': notInBenchmark,
    'requests:undo': notInBenchmark,
    'settings:get': notInBenchmark,
    'settings:update': notInBenchmark,
    'keys:export': notInBenchmark,
    'requests:create': notInBenchmark,
    'developers:list': notInBenchmark,
    'policies:list': notInBenchmark,
    'keys:reveal': notInBenchmark,
    'keys:copy': notInBenchmark,
    'keys:dismiss': notInBenchmark,
    'outbox:retry': notInBenchmark,
    'outbox:cancel': notInBenchmark,
    'export:save': notInBenchmark
  }
  return {
    profiles,
    sync,
    handlers,
    push,
    onPush(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    stop: () => sync.stop()
  }
}
