import type { InvokeHandlers, PushMessage } from '../../shared/ipc'
import type { Redactor } from './logging/redactor'
import type { ResolveProxy } from './http/proxy'
import type { OutboxDeps } from './outbox/outbox-types'
import type { CallCeiling } from './portal/call-ceiling'
import type {
  Clipboard,
  FileSaver,
  Clock,
  CredentialStore,
  HttpTransport,
  Logger,
  Notifier,
  StoreFactory
} from './ports'
import type { SyncServiceOptions } from './sync/sync-service'

/** A portal started in-process for the first-run demo (the emulator on a free loopback port). */
export interface DemoPortal {
  url: string
  secret: string
  close(): Promise<void>
}

/** Knobs for tests, benchmarks and the chaos run; the app runs on the defaults. */
export interface AppCoreTuning {
  outbox?: Pick<
    OutboxDeps,
    | 'concurrency'
    | 'maxParallelProfiles'
    | 'backoff'
    | 'batchSize'
    | 'reconcileGraceMs'
    | 'preflightMaxAgeMs'
    | 'finishedRetentionMs'
    | 'maxFinishedItems'
    | 'random'
  >
  sync?: Pick<SyncServiceOptions, 'polling' | 'cacheFlushDelayMs' | 'seenFlushDelayMs'>
  /** The undo window while the settings file holds none; 5 s (harnesses that mean "at once" say 0). */
  undoSeconds?: number
  /** How long approve/decline wait for an outcome before answering "queued"/"sending"; 12 s. */
  actionWaitMs?: number
  /** Changes within this delay share one `profiles:changed` push; 100 ms. */
  summaryDelayMs?: number
  /** How long a keychain call may go unanswered before it fails; 5 s. */
  keychainTimeoutMs?: number
  /** Calls per second each Dashboard may receive; default `defaultCallCeiling`. */
  callCeiling?: CallCeiling
}

export interface AppCoreDeps {
  stores: StoreFactory
  credentials: CredentialStore
  notifier: Notifier
  /** Where Copy in the key dialog puts a credential (main writes it; the renderer never does). */
  clipboard: Clipboard
  /** The save dialog behind every export; absent where no window can ask (exports then fail). */
  fileSaver?: FileSaver
  logger: Logger
  /** Shared with main's own logger so both scrub the same secrets; a new one when absent. */
  redactor?: Redactor
  /** OS user name, recorded in the local decision log. */
  userName: string
  clock?: Clock
  /** Defaults to the node:http(s) transport. */
  transport?: HttpTransport
  /** The proxy for each Dashboard URL (the app: Electron's per-URL system proxy); default the environment's. */
  resolveProxy?: ResolveProxy
  /** Absent where the build offers no demo portal. */
  startDemoPortal?: () => Promise<DemoPortal>
  tuning?: AppCoreTuning
}

/** The app itself: every IPC channel is one of `handlers`; pushes go to whoever subscribes. */
export interface AppCore {
  handlers: InvokeHandlers
  onPush(listener: (message: PushMessage) => void): () => void
  /**
   * Reconciles actions a previous run left mid-send before anything else reaches a portal, then
   * starts the outbox and polling. Call once after construction.
   */
  start(): Promise<void>
  /**
   * Clears a copied key off the clipboard, stops the outbox and polling (waiting for calls in
   * flight), writes pending cache changes, closes the demo portal.
   */
  stop(): Promise<void>
  /** The window gained focus: refresh stale lists now. */
  windowFocused(): void
}
