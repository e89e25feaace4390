import type { ErrorCode } from '../../../../shared/result'
import { HttpTransportError, MAX_RESPONSE_BYTES, type HttpResponse } from '../../ports'
import { PortalCallFailure } from '../portal-client'
import { statusEnvelopeSchema } from './schemas'

/** What a call was, so a failure can say which request failed and whether it wrote anything. */
export interface CallContext {
  method: string
  /** Path without query, e.g. `/api/portal/requests/approve/5e...`; never holds a secret. */
  path: string
  host: string
  /** Approve, decline, create: only these can leave an unknown outcome behind. */
  write: boolean
  /** What a 404 means here, e.g. "Key request 5e9d... no longer exists on the Dashboard". */
  notFound: string
  timeoutMs: number
  /**
   * Scrubs secrets and credentials from the Dashboard's own words (its `Message` may echo the
   * request's header or body, or an issued key) before they become part of an error.
   */
  scrub: (text: string) => string
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`

const failure = (
  code: ErrorCode,
  message: string,
  retryable: boolean,
  details: Partial<PortalCallFailure['details']> = {}
) =>
  new PortalCallFailure(code, message, retryable, {
    status: null,
    outcomeUnknown: false,
    retryAfterMs: null,
    ...details
  })

/** The portal's `Message`, trimmed and scrubbed; null when the body is not a status envelope. */
export function portalMessage(body: string, scrub: (text: string) => string): string | null {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return null
  }
  const parsed = statusEnvelopeSchema.safeParse(json)
  const message = parsed.success ? parsed.data.Message?.trim() : undefined
  if (!message) return null
  const scrubbed = scrub(message)
  return scrubbed.length > 300 ? `${scrubbed.slice(0, 300)}…` : scrubbed
}

/**
 * The longest wait a `Retry-After` can impose: beyond a day it is a broken or hostile header,
 * and an unclamped value overflows timers (1 ms wake-ups) or dates ("Invalid time value").
 */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000

/** `Retry-After` as delta-seconds or an HTTP date, at most a day; null when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | null {
  if (!header) return null
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS)
}

const permissionFor = (context: CallContext): string => {
  if (context.path.startsWith('/api/portal/policies')) return 'policy read'
  return context.method === 'GET' ? 'portal read' : 'portal write'
}

/**
 * 5xx answers a write may have been applied behind: the Dashboard failing after its database
 * write (500), or a proxy giving up on an answer that was on its way (502, 504). A 503 or a 429
 * is a refusal before any work.
 */
const appliedMaybe: ReadonlySet<number> = new Set([500, 502, 504])

/** A non-2xx answer as a `PortalCallFailure` with a message the admin can act on. */
export function failureFromResponse(
  response: HttpResponse,
  context: CallContext
): PortalCallFailure {
  const { status } = response
  const message = portalMessage(response.body, context.scrub)
  const said = message ? `: ${message}` : ''
  const details = { status }
  if (status === 401) {
    return failure('AUTH_REJECTED', 'API secret rejected (401): update the profile', false, details)
  }
  if (status === 403) {
    if (message === 'Request body malformed.') {
      return failure(
        'BAD_REQUEST',
        `The Dashboard rejected the body of ${context.method} ${context.path} as malformed (403)`,
        false,
        details
      )
    }
    return failure(
      'FORBIDDEN',
      `The Dashboard user lacks the ${permissionFor(context)} permission (403): grant it in the Dashboard's user settings`,
      false,
      details
    )
  }
  if (status === 404) return failure('NOT_FOUND', `${context.notFound} (404)`, false, details)
  if (status === 400 && message && /already been processed/i.test(message)) {
    return failure(
      'CONFLICT',
      'The key request was already processed on the Dashboard (approved elsewhere)',
      false,
      details
    )
  }
  if (status === 429) {
    const wait = retryAfterMs(response.headers['retry-after'])
    const when = wait === null ? 'retry shortly' : `retry in ${seconds(wait)}`
    return failure('RATE_LIMITED', `The Dashboard is rate limiting requests (429): ${when}`, true, {
      status,
      retryAfterMs: wait
    })
  }
  if (status >= 500) {
    return failure(
      'SERVER_ERROR',
      `The Dashboard failed on ${context.method} ${context.path} (HTTP ${status}${said})`,
      true,
      { status, outcomeUnknown: context.write && appliedMaybe.has(status) }
    )
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.location
      ? ` to ${context.scrub(response.headers.location)}`
      : ''
    return failure(
      'BAD_REQUEST',
      `The Dashboard redirected ${context.path}${location} (HTTP ${status}): check the profile's Dashboard URL`,
      false,
      details
    )
  }
  return failure(
    'BAD_REQUEST',
    `The Dashboard refused ${context.method} ${context.path} (HTTP ${status}${said})`,
    false,
    details
  )
}

const tlsHint = (reason: string): string => {
  if (reason.includes('not valid for')) return ': use the host name the certificate was issued for'
  if (reason.includes('certificate changed') || reason.includes('pinned certificate expired')) {
    return ''
  }
  if (/certificate|authority/.test(reason)) {
    return ": add the portal's CA to the profile, or test the connection and confirm the certificate's fingerprint"
  }
  return ''
}

/**
 * A failure below HTTP. A write whose bytes left before a timeout or reset may have been applied:
 * `outcomeUnknown` tells the outbox to re-read instead of retrying. Refused/DNS/TLS never sent.
 */
export function failureFromTransport(error: unknown, context: CallContext): PortalCallFailure {
  if (!(error instanceof HttpTransportError)) {
    return failure(
      'INTERNAL',
      `Calling the Dashboard failed unexpectedly (${context.path})`,
      false,
      {
        outcomeUnknown: context.write
      }
    )
  }
  const outcomeUnknown = context.write && error.sent
  switch (error.kind) {
    case 'refused':
      return failure('OFFLINE', `Portal unreachable (${error.message})`, true)
    case 'dns':
      return failure('OFFLINE', `Portal unreachable (cannot resolve ${context.host})`, true)
    case 'timeout':
      return failure(
        'TIMEOUT',
        `Portal unreachable (timed out after ${seconds(context.timeoutMs)})`,
        true,
        { outcomeUnknown }
      )
    case 'tls':
      return failure(
        'TLS',
        `TLS check of ${context.host} failed (${error.message})${tlsHint(error.message)}`,
        false,
        { certificate: error.certificate }
      )
    case 'too-large':
      return failure(
        'INVALID_RESPONSE',
        `The Dashboard's answer to ${context.method} ${context.path} is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB, the most Keygate reads`,
        false,
        { outcomeUnknown, tooLarge: true }
      )
    case 'undecodable':
      return failure(
        'INVALID_RESPONSE',
        `The Dashboard's answer to ${context.method} ${context.path} could not be read (${error.message})`,
        false,
        { outcomeUnknown }
      )
    case 'reset':
      return failure('OFFLINE', `Portal connection dropped (reset by ${context.host})`, true, {
        outcomeUnknown
      })
    default:
      return failure('OFFLINE', `Portal unreachable (${error.message})`, true, { outcomeUnknown })
  }
}

/** The Dashboard answered 2xx with something we cannot read. */
export function invalidResponse(context: CallContext, problem: string): PortalCallFailure {
  return failure(
    'INVALID_RESPONSE',
    `The Dashboard sent an unexpected answer to ${context.method} ${context.path} (${context.scrub(problem)})`,
    false
  )
}
