import type { Connectivity, ConnectivityState } from '../../../shared/domain'
import type { AppError, ErrorCode } from '../../../shared/result'
import type { Clock } from '../ports'

/**
 * What one request outcome says about a portal. Codes that prove the Dashboard answered an
 * authenticated call (404, 409, 400) count as reachable; local failures (keychain, validation,
 * bugs) say nothing about the portal and leave the state alone.
 */
const stateByCode: Record<ErrorCode, ConnectivityState | null> = {
  OFFLINE: 'offline',
  TIMEOUT: 'offline',
  TLS: 'offline',
  AUTH_REJECTED: 'auth-problem',
  FORBIDDEN: 'auth-problem',
  SERVER_ERROR: 'degraded',
  RATE_LIMITED: 'degraded',
  INVALID_RESPONSE: 'degraded',
  NOT_FOUND: 'online',
  CONFLICT: 'online',
  BAD_REQUEST: 'online',
  KEYCHAIN_UNAVAILABLE: null,
  VALIDATION: null,
  INTERNAL: null
}

/** The connectivity state an outcome implies: `null` error is a success; `null` result means no signal. */
export function connectivityStateFor(error: AppError | null): ConnectivityState | null {
  return error ? stateByCode[error.code] : 'online'
}

export type ConnectivityListener = (
  profileId: string,
  current: Connectivity,
  previous: Connectivity
) => void

const initial: Connectivity = {
  state: 'unknown',
  since: null,
  lastSuccessAt: null,
  lastError: null
}

/**
 * Connectivity per profile, judged only from real request outcomes (polls, outbox sends, detail
 * reads), never from the OS network flag: one portal can be down while another is up.
 */
export class ConnectivityTracker {
  private readonly states = new Map<string, Connectivity>()

  constructor(
    private readonly clock: Clock,
    private readonly onChange: ConnectivityListener = () => {}
  ) {}

  /** Current connectivity of a profile; `unknown` until its first request settles. */
  get(profileId: string): Connectivity {
    return this.states.get(profileId) ?? initial
  }

  /**
   * Records the outcome of one portal call (`null` = it succeeded). Notifies the listener when the
   * state or the error shown with it changes; a newer `lastSuccessAt` alone is not a change.
   */
  record(profileId: string, error: AppError | null): Connectivity {
    const previous = this.get(profileId)
    const state = connectivityStateFor(error)
    if (state === null) return previous
    const at = new Date(this.clock.now()).toISOString()
    const lastError = state === 'online' ? null : error
    const next: Connectivity = {
      state,
      since: state === previous.state ? previous.since : at,
      lastSuccessAt: state === 'online' ? at : previous.lastSuccessAt,
      lastError
    }
    this.states.set(profileId, next)
    const changed =
      state !== previous.state ||
      lastError?.code !== previous.lastError?.code ||
      lastError?.message !== previous.lastError?.message
    if (changed) this.onChange(profileId, next, previous)
    return next
  }

  /** Drops a removed profile. */
  forget(profileId: string): void {
    this.states.delete(profileId)
  }
}
