import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { PushChannel, PushEvents, PushMessage } from '../../shared/ipc'
import { AppFailure, type AppError } from '../../shared/result'
import type { AppCore, AppCoreTuning } from './app-core-types'
import { createAppCore } from './app-core'
import { toAppError } from './errors'
import { createLogger } from './logging/logger'
import type { Clock, CredentialStore, FileSaver, HttpTransport, KeyValueStore } from './ports'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createConfStoreFactory } from './storage/conf-store'
import { FakeClipboard } from './testing/fake-clipboard'
import { RecordingNotifier } from './testing/recording-notifier'

export interface Harness {
  core: AppCore
  pushes: PushMessage[]
  lines: string[]
  notifier: RecordingNotifier
  clipboard: FakeClipboard
  credentials: CredentialStore
  dir: string
  /** Payloads pushed on one channel so far, oldest first. */
  pushed<E extends PushChannel>(event: E): PushEvents[E][]
}

export interface HarnessOptions {
  credentials?: CredentialStore
  startDemoPortal?: () => Promise<RunningEmulator>
  /** Reuse a store folder (a restart); it is then left for its first owner to remove. */
  dir?: string
  tuning?: AppCoreTuning
  clock?: Clock
  /** Defaults to the node:http(s) transport. */
  transport?: HttpTransport
  /** Absent: like a host with no save dialog, exports fail. */
  fileSaver?: FileSaver
  /** Wraps each real store file, e.g. to refuse a write as a full disk would. */
  wrapStore?: (name: string, store: KeyValueStore) => KeyValueStore
}

const running: { core: AppCore; dir: string; owned: boolean }[] = []

/** A real AppCore over conf stores in a temp folder; `stopAll` stops it and removes the folder. */
export function createHarness(options: HarnessOptions = {}): Harness {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'keygate-core-'))
  const lines: string[] = []
  const pushes: PushMessage[] = []
  const notifier = new RecordingNotifier()
  const clipboard = new FakeClipboard()
  const credentials = options.credentials ?? createMemoryCredentialStore()
  const files = createConfStoreFactory(dir)
  const core = createAppCore({
    stores: (name) => {
      const store = files(name)
      return options.wrapStore ? options.wrapStore(name, store) : store
    },
    credentials,
    notifier,
    clipboard,
    logger: createLogger((line) => lines.push(line)),
    userName: 'test-admin',
    startDemoPortal: options.startDemoPortal,
    // Decisions go out at once unless a test asks for an undo window.
    tuning: { undoSeconds: 0, ...options.tuning },
    clock: options.clock,
    transport: options.transport,
    fileSaver: options.fileSaver
  })
  core.onPush((message) => pushes.push(message))
  running.push({ core, dir, owned: options.dir === undefined })
  const pushed = <E extends PushChannel>(event: E): PushEvents[E][] =>
    pushes.filter((p) => p.event === event).map((p) => p.payload as PushEvents[E])
  return { core, pushes, lines, notifier, clipboard, credentials, dir, pushed }
}

/** Stops every core created since the last call (newest first), then removes their folders. */
export async function stopAll(): Promise<void> {
  const cores = running.splice(0).reverse()
  for (const { core } of cores) await core.stop()
  for (const { dir, owned } of cores) if (owned) rmSync(dir, { recursive: true, force: true })
}

/** A harness whose core has started. */
export async function started(options: HarnessOptions = {}): Promise<Harness> {
  const harness = createHarness(options)
  await harness.core.start()
  return harness
}

export const addProfile = (
  core: AppCore,
  portal: RunningEmulator,
  name: string,
  secret = portal.secret
) => core.handlers['profiles:create']({ name, baseUrl: `${portal.url}/`, secret })

/** The AppError a core call failed with; fails the test when it did not fail. */
export async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (e) {
    expect(e).toBeInstanceOf(AppFailure)
    return toAppError(e)
  }
  throw new Error('expected the call to fail')
}

/**
 * Polls `probe` until it answers something other than undefined/false, and answers that. Fails
 * with `what` after `timeoutMs`: a guard against hanging, not a timing assertion.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Waits until the profile's first poll has listed its pending requests; answers the count. */
export function firstPoll(core: AppCore, profileId: string): Promise<number> {
  return waitFor('the first poll', async () => {
    const summary = (await core.handlers['profiles:list'](undefined)).find(
      (p) => p.id === profileId
    )
    return summary?.pendingCount ?? undefined
  })
}

/**
 * Refreshes the profile's pending list until the portal answers: once it does after being
 * unreachable, the core flushes that profile's outbox (the reconnect path).
 */
export function reconnect(core: AppCore, profileId: string): Promise<true> {
  return waitFor('the portal to answer again', async () => {
    const view = await core.handlers['requests:list']({
      profileId,
      status: 'pending',
      refresh: true
    })
    return view.sources[0]?.error === null || undefined
  })
}

/**
 * One emulator for a test file, seeded on 2025-03-01: started before all tests, back to its seed
 * with no faults before each, closed after all; every core is stopped after each test.
 * Answers a getter, since the emulator exists only once `beforeAll` ran.
 */
export function useEmulator(options: {
  secret: string
  seed: number
  seedPending: number
  seedApproved?: number
}): () => RunningEmulator {
  let portal: RunningEmulator | null = null
  beforeAll(async () => {
    portal = await startEmulator({
      port: 0,
      seedApproved: 0,
      ...options,
      seedNow: Date.parse('2025-03-01T12:00:00Z')
    })
  })
  afterAll(() => portal?.close())
  beforeEach(() => {
    portal?.control.clearFaults()
    portal?.control.reset()
  })
  afterEach(stopAll)
  return () => {
    if (!portal) throw new Error('the emulator starts in beforeAll')
    return portal
  }
}
