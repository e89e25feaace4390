import { AppFailure, type AppError } from '../../../shared/result'
import { PortalCallFailure } from '../portal/portal-client'

/**
 * What a failed portal call means for an outbox item:
 * - `transient`: nothing applied, try again later (network, timeout, 5xx, 429);
 * - `auth`: the profile's secret or permissions need the user (401, 403, no keychain);
 * - `not-found` / `conflict`: the Dashboard answered about the request's state (404, already processed);
 * - `unknown-outcome`: the call may have been applied (timeout or reset after sending);
 * - `unexpected`: not an answer Keygate understands, so the call may have been applied too;
 * - `rejected`: any other refusal, final until the user retries.
 */
export type FailureKind =
  'transient' | 'auth' | 'not-found' | 'conflict' | 'unknown-outcome' | 'unexpected' | 'rejected'

export interface ClassifiedFailure {
  kind: FailureKind
  error: AppError
  /** The server's Retry-After, when it sent one. */
  retryAfterMs: number | null
}

const transientCodes = new Set(['OFFLINE', 'TIMEOUT', 'SERVER_ERROR', 'RATE_LIMITED'])
const authCodes = new Set(['AUTH_REJECTED', 'FORBIDDEN', 'KEYCHAIN_UNAVAILABLE'])

/** Classifies the failure of an approve or decline call. */
export function classifyActionFailure(thrown: unknown): ClassifiedFailure {
  if (!(thrown instanceof AppFailure)) {
    const detail = thrown instanceof Error ? thrown.message : String(thrown)
    return {
      kind: 'unexpected',
      error: {
        code: 'INTERNAL',
        message: `Unexpected error while sending: ${detail}`,
        retryable: false
      },
      retryAfterMs: null
    }
  }
  const details = thrown instanceof PortalCallFailure ? thrown.details : null
  const retryAfterMs = details?.retryAfterMs ?? null
  if (details?.outcomeUnknown) return { kind: 'unknown-outcome', error: thrown.error, retryAfterMs }
  const code = thrown.error.code
  if (transientCodes.has(code)) return { kind: 'transient', error: thrown.error, retryAfterMs }
  if (authCodes.has(code)) return { kind: 'auth', error: thrown.error, retryAfterMs }
  if (code === 'NOT_FOUND') return { kind: 'not-found', error: thrown.error, retryAfterMs }
  if (code === 'CONFLICT') return { kind: 'conflict', error: thrown.error, retryAfterMs }
  // A 2xx whose body did not parse may still have issued a key: treat it like a lost reply.
  if (code === 'INVALID_RESPONSE') return { kind: 'unexpected', error: thrown.error, retryAfterMs }
  return { kind: 'rejected', error: thrown.error, retryAfterMs }
}

/** Classifies the failure of a read (client creation, list, GET): reads change nothing. */
export function classifyReadFailure(thrown: unknown): ClassifiedFailure {
  const failure = classifyActionFailure(thrown)
  if (failure.kind === 'unknown-outcome') return { ...failure, kind: 'transient' }
  // Only an `unexpected` failure carries INVALID_RESPONSE here (an unknown outcome left above).
  if (failure.error.code === 'INVALID_RESPONSE') {
    return { ...failure, kind: 'rejected' }
  }
  return failure
}
