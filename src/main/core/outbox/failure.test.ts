import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { PortalCallFailure } from '../portal/portal-client'
import { classifyActionFailure, classifyReadFailure } from './failure'

const portal = (code: ConstructorParameters<typeof AppFailure>[0], outcomeUnknown = false) =>
  new PortalCallFailure(code, `${code} from the Dashboard`, true, {
    status: null,
    outcomeUnknown,
    retryAfterMs: outcomeUnknown ? null : 2_000
  })

describe('classifyActionFailure', () => {
  it.each([
    ['OFFLINE', 'transient'],
    ['TIMEOUT', 'transient'],
    ['SERVER_ERROR', 'transient'],
    ['RATE_LIMITED', 'transient'],
    ['AUTH_REJECTED', 'auth'],
    ['FORBIDDEN', 'auth'],
    ['KEYCHAIN_UNAVAILABLE', 'auth'],
    ['NOT_FOUND', 'not-found'],
    ['CONFLICT', 'conflict'],
    ['INVALID_RESPONSE', 'unexpected'],
    ['BAD_REQUEST', 'rejected']
  ] as const)('reads %s as %s, keeping the Retry-After', (code, kind) => {
    expect(classifyActionFailure(portal(code))).toEqual({
      kind,
      error: { code, message: `${code} from the Dashboard`, retryable: true },
      retryAfterMs: 2_000
    })
  })

  it('treats a call that may have been sent as an unknown outcome, whatever its code', () => {
    expect(classifyActionFailure(portal('TIMEOUT', true)).kind).toBe('unknown-outcome')
  })

  it('turns anything that is not an AppFailure into a final INTERNAL error', () => {
    expect(classifyActionFailure(new TypeError('x is undefined'))).toEqual({
      kind: 'unexpected',
      error: {
        code: 'INTERNAL',
        message: 'Unexpected error while sending: x is undefined',
        retryable: false
      },
      retryAfterMs: null
    })
  })
})

describe('classifyActionFailure, beyond the portal client', () => {
  it('reads a failure without call details by its code, with no Retry-After', () => {
    expect(classifyActionFailure(new AppFailure('NOT_FOUND', 'Gone', false))).toEqual({
      kind: 'not-found',
      error: { code: 'NOT_FOUND', message: 'Gone', retryable: false },
      retryAfterMs: null
    })
  })

  it('words a thrown value that is not an Error by its text', () => {
    expect(classifyActionFailure('socket hang up').error.message).toBe(
      'Unexpected error while sending: socket hang up'
    )
  })
})

describe('classifyReadFailure', () => {
  it('retries a read whose outcome is unknown: a read changes nothing', () => {
    expect(classifyReadFailure(portal('TIMEOUT', true)).kind).toBe('transient')
  })

  it('refuses an unreadable answer to a read, which cannot have issued anything', () => {
    expect(classifyReadFailure(portal('INVALID_RESPONSE')).kind).toBe('rejected')
  })

  it('keeps every other classification', () => {
    expect(classifyReadFailure(portal('AUTH_REJECTED')).kind).toBe('auth')
    expect(classifyReadFailure(new Error('boom')).kind).toBe('unexpected')
  })
})
