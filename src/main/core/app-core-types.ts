import type { InvokeHandlers, PushMessage } from '../../shared/ipc'
import type { Clock, CredentialStore, HttpTransport, Logger, Notifier, StoreFactory } from './ports'

/** A portal started in-process for the first-run demo (the emulator on a free loopback port). */
export interface DemoPortal {
  url: string
  secret: string
  close(): Promise<void>
}

export interface AppCoreDeps {
  stores: StoreFactory
  credentials: CredentialStore
  notifier: Notifier
  logger: Logger
  /** OS user name, recorded in the local decision log. */
  userName: string
  clock?: Clock
  /** Defaults to the node:http(s) transport. */
  transport?: HttpTransport
  /** Absent where the build offers no demo portal. */
  startDemoPortal?: () => Promise<DemoPortal>
}

/** The app itself: every IPC channel is one of `handlers`; pushes go to whoever subscribes. */
export interface AppCore {
  handlers: InvokeHandlers
  onPush(listener: (message: PushMessage) => void): () => void
  /** Reconciles interrupted work, then starts polling. Call once after construction. */
  start(): Promise<void>
  /** Stops timers and closes the demo portal; persists anything pending. */
  stop(): Promise<void>
  /** The window gained focus: refresh stale lists now. */
  windowFocused(): void
}
