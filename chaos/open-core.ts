import type { ActionOutcome, OutboxItem } from '../src/shared/domain'
import { AppFailure } from '../src/shared/result'
import { createAppCore } from '../src/main/core/app-core'
import { createNodeTransport } from '../src/main/core/http/node-transport'
import { describeOutboxItem } from '../src/main/core/outbox/messages'
import { Outbox } from '../src/main/core/outbox/outbox'
import type { HttpTransport, Logger, Notifier, NotificationRequest } from '../src/main/core/ports'
import type { PortalClient } from '../src/main/core/portal/portal-client'
import { tykClassicAdapter } from '../src/main/core/portal/tyk-classic/tyk-classic-adapter'
import { createMemoryCredentialStore } from '../src/main/core/profiles/memory-credential-store'
import { createConfStoreFactory } from '../src/main/core/storage/conf-store'
import { chaosNow, createChaosClock, type Timeline } from './chaos-clock'
import { fullDiskStores, hangingKeychain } from './host-faults'
import type { ChaosProfile, CoreConfig, CoreDriver } from './core-driver'
import { FakeClipboard } from '../src/main/core/testing/fake-clipboard'
import { createLifeline, severableStores, severableTransport, type Lifeline } from './lifeline'

/** How long an approve/decline waits for its first outcome, as AppCore does (chaos-clock ms). */
const SETTLE_WAIT_MS = 15_000

/**
 * The summary accounts for every action by its outbox item, so no finished item may be pruned.
 * The 7-day retention is never reached: 7 chaos days are 17 wall hours at the default
 * --time-scale of 10 and 1.7 at the fastest, 100, against minutes for a run. The 500-item cap
 * is reached: a 2,000-action run finishes about 1,900 items in 75 wall seconds, and its one-hour
 * floor passes after 36 wall seconds at scale 100 (seed 1 then counted 2,449 lost).
 */
const KEEP_EVERY_FINISHED_ITEM = Number.POSITIVE_INFINITY

/**
 * Sits between an in-process core and the network (inside the lifeline, so a call it lets through
 * after a kill still lands on the Dashboard): scripted crash windows kill the core from here.
 */
export type WireTap = (transport: HttpTransport) => HttpTransport

/** A running core instance of the chaos run and the means to kill it abruptly. */
export interface CoreInstance {
  driver: CoreDriver
  /** Abrupt death: timers frozen, wire and store files cut. No `stop()`, nothing persisted. */
  kill(): void
  died: Promise<void>
}

/** Info lines are dropped (thousands of settles); warnings and errors go to stderr when verbose. */
export function chaosLogger(verbose: boolean, prefix: string): Logger {
  const write = (level: string, message: string, data?: Record<string, unknown>): void => {
    if (verbose)
      process.stderr.write(`${prefix} ${level}: ${message} ${JSON.stringify(data ?? {})}\n`)
  }
  return {
    info: () => undefined,
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data)
  }
}

/** Records what the core would show; a dead instance shows nothing. */
function recordingNotifier(
  life: Lifeline,
  shown: (notification: NotificationRequest) => void
): Notifier {
  return {
    isSupported: () => true,
    show: (notification) => {
      if (!life.dead) shown(notification)
    }
  }
}

/**
 * Opens a core instance on the run's store directory: AppCore (the real composition, driven
 * through its IPC handlers) or, in `outbox` mode, the Outbox with the real Tyk client. Both use
 * the conf store files, the node:http transport and the chaos clock; the keychain is a memory
 * store holding the profiles' secrets.
 */
export async function openCore(
  config: CoreConfig,
  label: string,
  onNotified: (notification: NotificationRequest) => void,
  wire: WireTap = (transport) => transport
): Promise<CoreInstance> {
  const life = createLifeline()
  const clock = createChaosClock(config.timeline, config.clockOffsetMs)
  const logger = chaosLogger(config.verbose, label)
  const transport = severableTransport(wire(createNodeTransport()), life)
  const driver =
    config.mode === 'app'
      ? await openAppCore(config, life, clock, logger, onNotified, transport)
      : await openOutbox(config, life, clock, logger, transport)
  return {
    driver,
    died: life.died,
    kill: () => {
      clock.freeze()
      life.kill()
    }
  }
}

async function openAppCore(
  config: CoreConfig,
  life: Lifeline,
  clock: ReturnType<typeof createChaosClock>,
  logger: Logger,
  onNotified: (notification: NotificationRequest) => void,
  transport: HttpTransport
): Promise<CoreDriver> {
  const credentials = createMemoryCredentialStore()
  for (const profile of config.profiles) await credentials.set(profile.id, profile.secret)
  const faultTime = () => chaosNow(config.timeline)
  const core = createAppCore({
    stores: severableStores(
      fullDiskStores(createConfStoreFactory(config.dir), config.dir, faultTime),
      life
    ),
    credentials: hangingKeychain(credentials, config.dir, faultTime),
    notifier: recordingNotifier(life, onNotified),
    clipboard: new FakeClipboard(),
    logger,
    userName: 'chaos-admin',
    clock,
    transport,
    // The chaos run is about sending, not the undo window: decisions go out at once.
    tuning: { undoSeconds: 0, outbox: { maxFinishedItems: KEEP_EVERY_FINISHED_ITEM } }
  })
  const listeners: ((items: OutboxItem[]) => void)[] = []
  core.onPush((message) => {
    if (life.dead || message.event !== 'outbox:changed') return
    for (const listener of listeners) listener(message.payload)
  })
  await core.start()
  const { handlers } = core
  return {
    approve: (profileId, requestId) => handlers['requests:approve']({ profileId, requestId }),
    decline: (profileId, requestId, reason) =>
      handlers['requests:decline']({ profileId, requestId, reason }),
    cancel: async (opId) => void (await handlers['outbox:cancel']({ opId })),
    retry: async (opId) => void (await handlers['outbox:retry']({ opId })),
    list: () => handlers['outbox:list'](undefined),
    updateSecret: async (profileId, secret) => {
      await handlers['profiles:update']({ id: profileId, patch: { secret } })
    },
    deleteProfile: (profileId, pendingActions) =>
      handlers['profiles:delete']({ id: profileId, pendingActions }),
    createProfile: async (name, url, secret) => {
      const profile = await handlers['profiles:create']({
        name,
        baseUrl: url,
        secret,
        pollIntervalSec: 10,
        notifications: true
      })
      return profile.id
    },
    listProfiles: async () =>
      (await handlers['profiles:list'](undefined)).map((p) => ({ id: p.id, url: p.baseUrl })),
    decisions: async (profileId) => {
      try {
        return await handlers['decisions:list']({ profileId })
      } catch (thrown) {
        // A deleted portal nothing was logged for is unknown to the core: an empty log.
        if (thrown instanceof AppFailure && thrown.error.code === 'NOT_FOUND') return []
        throw thrown
      }
    },
    removedPortals: async () =>
      (await handlers['decisions:removedPortals'](undefined)).map((p) => p.profileId),
    onOutboxChange: (listener) => void listeners.push(listener),
    stop: () => core.stop()
  }
}

async function openOutbox(
  config: CoreConfig,
  life: Lifeline,
  clock: ReturnType<typeof createChaosClock>,
  logger: Logger,
  transport: HttpTransport
): Promise<CoreDriver> {
  const stores = severableStores(createConfStoreFactory(config.dir), life)
  const clients = new Map<string, PortalClient>()
  const clientFor = async (profileId: string): Promise<PortalClient> => {
    const known = clients.get(profileId)
    if (known) return known
    const profile = config.profiles.find((p) => p.id === profileId)
    if (!profile) throw new Error(`No chaos profile ${profileId}`)
    const client = tykClassicAdapter.createClient({
      profile: {
        id: profile.id,
        baseUrl: profile.url,
        customCa: null,
        pinnedSha256: null
      },
      secret: profile.secret,
      transport,
      logger
    })
    clients.set(profileId, client)
    return client
  }
  const outbox = new Outbox({
    store: stores('outbox'),
    clientFor,
    clock,
    logger,
    maxFinishedItems: KEEP_EVERY_FINISHED_ITEM
  })
  // Keys would go to AppCore's vault; the Outbox alone needs someone listening.
  outbox.onCredential(() => undefined)
  outbox.start()
  await outbox.recover()

  const act = async (
    profileId: string,
    requestId: string,
    kind: 'approve' | 'decline',
    reason: string | null
  ): Promise<ActionOutcome> => {
    const queued = outbox.enqueue({ profileId, requestId, kind, reason })
    void outbox.flush(profileId)
    const item = await outbox.waitForSettled(queued.opId, SETTLE_WAIT_MS)
    return {
      opId: item.opId,
      state: item.state,
      keyId: null,
      message: describeOutboxItem(item, tykClassicAdapter.capabilities)
    }
  }
  return {
    approve: (profileId, requestId) => act(profileId, requestId, 'approve', null),
    decline: (profileId, requestId, reason) => act(profileId, requestId, 'decline', reason),
    cancel: async (opId) => outbox.cancel(opId),
    retry: async (opId) => outbox.retry(opId),
    list: async () => outbox.list(),
    updateSecret: async (profileId) => {
      clients.delete(profileId)
      outbox.requeueProfile(profileId)
    },
    deleteProfile: async () => outboxOnly('profiles:delete'),
    createProfile: async () => outboxOnly('profiles:create'),
    listProfiles: async () => config.profiles.map((p) => ({ id: p.id, url: p.url })),
    decisions: async () => outboxOnly('decisions:list'),
    removedPortals: async () => outboxOnly('decisions:removedPortals'),
    onOutboxChange: (listener) => void outbox.onChange(listener),
    stop: () => outbox.stop()
  }
}

/** The Outbox alone has no profiles or decision log: those channels need `app` mode. */
function outboxOnly(channel: string): never {
  throw new Error(`${channel} needs an AppCore: profile deletes run in app mode only`)
}

/**
 * Saves the run's profiles through AppCore (`profiles:create`), as an admin would, and returns
 * them with their ids. In `outbox` mode there is no profile store: ids are made up.
 */
export async function createProfiles(
  mode: CoreConfig['mode'],
  dir: string,
  timeline: Timeline,
  portals: { url: string; secret: string }[],
  verbose: boolean
): Promise<ChaosProfile[]> {
  if (mode === 'outbox') return portals.map((portal, i) => ({ id: `chaos-${i + 1}`, ...portal }))
  const life = createLifeline()
  const clock = createChaosClock(timeline)
  const credentials = createMemoryCredentialStore()
  const core = createAppCore({
    stores: severableStores(createConfStoreFactory(dir), life),
    credentials,
    notifier: recordingNotifier(life, () => undefined),
    clipboard: new FakeClipboard(),
    logger: chaosLogger(verbose, 'setup'),
    userName: 'chaos-admin',
    clock,
    transport: severableTransport(createNodeTransport(), life)
  })
  const profiles: ChaosProfile[] = []
  for (const [i, portal] of portals.entries()) {
    const profile = await core.handlers['profiles:create']({
      name: `Chaos ${i + 1}`,
      baseUrl: portal.url,
      secret: portal.secret,
      pollIntervalSec: 10,
      notifications: true
    })
    profiles.push({ id: profile.id, ...portal })
  }
  await core.stop()
  clock.freeze()
  life.kill()
  return profiles
}
