import type { ServerCertificate } from '../../shared/domain'

/**
 * What the core needs from its host. Electron provides these through src/main/adapters; tests,
 * the browser harness, benchmarks and the chaos test provide plain-Node versions.
 */

/** A JSON key-value file (electron-store in the app, `conf` in Node: the same class underneath). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
  delete(key: string): void
  /** Every key held, so an owner can find values it no longer has a reference to. */
  keys(): string[]
}

/** Opens one named store file (`profiles`, `cache`, `outbox`, ...). */
export type StoreFactory = (name: string) => KeyValueStore

/** OS keychain, one secret per profile id (service `keygate`). */
export interface CredentialStore {
  /** Resolves `available: false` with an install hint when no Secret Service / keychain answers. */
  status(): Promise<{ available: boolean; message: string | null }>
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
}

export interface NotificationRequest {
  title: string
  body: string
  onClick: () => void
}

export interface Notifier {
  isSupported(): boolean
  show(notification: NotificationRequest): void
}

/**
 * The system clipboard. `write` puts `text` there together with raw platform formats (name to
 * bytes) in one atomic write, so a clipboard manager never sees the text without its markers.
 */
export interface Clipboard {
  write(text: string, formats: ReadonlyMap<string, Uint8Array>): Promise<void>
  readText(): Promise<string>
  clear(): Promise<void>
}

/** What the admin is asked to save, and where the save dialog starts. */
export interface SaveFileRequest {
  title: string
  /** File name offered in the dialog, e.g. `keygate-decisions-2026-12-04.csv`. */
  defaultName: string
  filters: { name: string; extensions: string[] }[]
  contents: string
}

/**
 * A file the admin chooses through the OS save dialog. Keygate writes files only here, only after
 * that choice: an export of keys or decisions is never left on disk on Keygate's own initiative.
 */
export interface FileSaver {
  save(request: SaveFileRequest): Promise<{ saved: true; path: string } | { saved: false }>
}

/** Injected time so backoff, polling and ages run on a fake clock in unit tests. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): () => void
}

/** The longest delay a Node timer holds (2^31-1 ms, 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    let handle: ReturnType<typeof setTimeout>
    // Node fires a delay above 2^31-1 ms after 1 ms, and NaN at once: clamp, and wait out
    // long delays in steps.
    const wait = (left: number): void => {
      const step = Math.min(left, MAX_TIMER_MS)
      handle = setTimeout(() => (left > step ? wait(left - step) : fn()), step)
      handle.unref?.()
    }
    wait(Number.isFinite(ms) ? Math.max(0, ms) : ms > 0 ? Number.MAX_SAFE_INTEGER : 0)
    return () => clearTimeout(handle)
  }
}

export interface TlsOptions {
  /** Extra PEM roots for a private CA. */
  ca?: string | null
  /**
   * SHA-256 fingerprint (AA:BB:...) of the one certificate this profile accepts, confirmed by the
   * admin (trust on first use). Replaces chain verification; the host name is still checked.
   */
  pinnedSha256?: string | null
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  tls?: TlsOptions
}

export interface HttpResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * One HTTP exchange. Rejects with an `HttpTransportError` for failures below HTTP, telling
 * whether the request may have reached the server (`sent`), which the outbox needs to know.
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>

/** `too-large`: the answer passed `MAX_RESPONSE_BYTES` and was cut off. */
export type TransportFailureKind =
  'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'too-large' | 'undecodable' | 'other'

/** Largest answer body a transport reads; a Dashboard list of 10,000 requests is far smaller. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024

export class HttpTransportError extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    /** True when the request was (or may have been) written before the failure. */
    readonly sent: boolean,
    message: string,
    /** A TLS failure's server certificate, for the admin to check and pin. */
    readonly certificate: ServerCertificate | null = null
  ) {
    super(message)
    this.name = 'HttpTransportError'
  }
}

/** Log sink; callers never pass secrets or issued keys (a test scans captured logs for them). */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
}
