import type { Connectivity, ConnectivityState } from '../../../shared/domain'
import type { AppError, ErrorCode } from '../../../shared/result'
import { systemClock, type Clock } from '../ports'

export interface ProfileStatus {
  connectivity(profileId: string): Connectivity
  /** Pending requests at the last successful read; null before the first. */
  pendingCount(profileId: string): number | null
  /** Records the outcome of a real portal call: null for success. */
  record(profileId: string, error: AppError | null): void
  setPendingCount(profileId: string, count: number): void
  forget(profileId: string): void
  /** Bumped on every change a profile summary shows, so callers know when to push. */
  version(): number
  onConnectivity(listener: (profileId: string, connectivity: Connectivity) => void): () => void
}

/** What an error says about the portal; null when it says nothing (a local problem). */
function stateAfter(code: ErrorCode): ConnectivityState | null {
  switch (code) {
    case 'OFFLINE':
    case 'TIMEOUT':
    case 'TLS':
      return 'offline'
    case 'AUTH_REJECTED':
    case 'FORBIDDEN':
      return 'auth-problem'
    case 'SERVER_ERROR':
    case 'RATE_LIMITED':
    case 'INVALID_RESPONSE':
      return 'degraded'
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'BAD_REQUEST':
      // The portal answered properly; the request itself was the problem.
      return 'online'
    case 'KEYCHAIN_UNAVAILABLE':
    case 'VALIDATION':
    case 'INTERNAL':
      return null
  }
}

const unknown: Connectivity = {
  state: 'unknown',
  since: null,
  lastSuccessAt: null,
  lastError: null
}

/**
 * Per-profile connectivity judged from real call outcomes (design §3), never from the OS's idea
 * of being online, plus the last known pending count for the sidebar.
 */
export function createProfileStatus(clock: Clock = systemClock): ProfileStatus {
  const connectivity = new Map<string, Connectivity>()
  const pending = new Map<string, number>()
  const listeners = new Set<(profileId: string, connectivity: Connectivity) => void>()
  let version = 0

  return {
    connectivity: (profileId) => connectivity.get(profileId) ?? unknown,
    pendingCount: (profileId) => pending.get(profileId) ?? null,

    record(profileId, error) {
      const state = error ? stateAfter(error.code) : 'online'
      if (state === null) return
      const now = new Date(clock.now()).toISOString()
      const previous = connectivity.get(profileId) ?? unknown
      const next: Connectivity = {
        state,
        since: previous.state === state ? previous.since : now,
        lastSuccessAt: state === 'online' ? now : previous.lastSuccessAt,
        lastError: state === 'online' ? null : error
      }
      connectivity.set(profileId, next)
      if (previous.state === next.state && previous.lastError?.code === next.lastError?.code) return
      version += 1
      for (const listener of listeners) listener(profileId, next)
    },

    setPendingCount(profileId, count) {
      if (pending.get(profileId) === count) return
      pending.set(profileId, count)
      version += 1
    },

    forget(profileId) {
      connectivity.delete(profileId)
      pending.delete(profileId)
      version += 1
    },

    version: () => version,

    onConnectivity(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
