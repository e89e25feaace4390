import { describe, expect, it } from 'vitest'
import type { ActionKind } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import type { ClassifiedFailure, FailureKind } from './failure'
import type { RequestState } from './preflight'
import { decideFromFailure, decideFromRead, type FailureStage, type ItemFacts } from './transitions'

const NOW = 1_000_000
const label = { developerEmail: 'dev@example.com', catalogueName: 'Gold' }
const timeout: AppError = { code: 'TIMEOUT', message: 'timed out', retryable: true }
const garbled: AppError = { code: 'INVALID_RESPONSE', message: 'no key in reply', retryable: false }

const item = (kind: ActionKind, verifyAfter: number | null, lastError: AppError | null = null) =>
  ({ kind, verifyAfter, lastError, label }) satisfies ItemFacts

/** A decision with its error reduced to what the rows compare. */
function summary(
  decision: ReturnType<typeof decideFromRead> | ReturnType<typeof decideFromFailure>
) {
  if (decision.action !== 'settle') return decision
  return {
    action: decision.action,
    state: decision.state,
    resolution: decision.resolution,
    code: decision.error?.code ?? null
  }
}

describe('decideFromRead: docs/architecture.md#preflight (nothing sent before)', () => {
  it.each<[ActionKind, RequestState, object]>([
    ['approve', 'pending', { action: 'send', confirmed: false }],
    ['decline', 'pending', { action: 'send', confirmed: false }],
    [
      'approve',
      'approved',
      { action: 'settle', state: 'conflict', resolution: 'approved-elsewhere', code: 'CONFLICT' }
    ],
    [
      'decline',
      'approved',
      { action: 'settle', state: 'conflict', resolution: 'approved-elsewhere', code: 'CONFLICT' }
    ],
    [
      'approve',
      'gone',
      { action: 'settle', state: 'conflict', resolution: 'removed-elsewhere', code: 'CONFLICT' }
    ],
    [
      'decline',
      'gone',
      { action: 'settle', state: 'done', resolution: 'already-removed', code: null }
    ]
  ])('%s of a request %s: %o', (kind, state, expected) => {
    expect(summary(decideFromRead(item(kind, null), state, NOW))).toEqual(expected)
  })
})

describe('decideFromRead: docs/architecture.md#reconciliation (an earlier call may have landed)', () => {
  const within = NOW + 5_000
  const past = NOW - 1
  it.each<[string, ItemFacts, RequestState, AppError | null, object]>([
    [
      'approve found approved: the reply was lost',
      item('approve', within, timeout),
      'approved',
      null,
      { action: 'settle', state: 'done', resolution: 'response-lost', code: 'TIMEOUT' }
    ],
    [
      'decline found approved: a rival approved first',
      item('decline', within, timeout),
      'approved',
      null,
      { action: 'settle', state: 'conflict', resolution: 'approved-elsewhere', code: 'CONFLICT' }
    ],
    [
      'decline found gone: most likely its own DELETE',
      item('decline', within, timeout),
      'gone',
      null,
      { action: 'settle', state: 'done', resolution: null, code: null }
    ],
    [
      'approve found gone: a key may exist',
      item('approve', within, timeout),
      'gone',
      null,
      {
        action: 'settle',
        state: 'conflict',
        resolution: 'removed-outcome-unknown',
        code: 'CONFLICT'
      }
    ],
    [
      'pending within the grace period: wait for it to end',
      item('approve', within, timeout),
      'pending',
      null,
      { action: 'wait', until: within }
    ],
    [
      'pending after the grace period: send again',
      item('approve', past, timeout),
      'pending',
      null,
      { action: 'send', confirmed: true }
    ],
    [
      'pending after an unexpected error: the call was not applied',
      item('approve', within, garbled),
      'pending',
      garbled,
      { action: 'settle', state: 'failed', resolution: null, code: 'INVALID_RESPONSE' }
    ]
  ])('%s', (_, facts, state, unexpected, expected) => {
    expect(summary(decideFromRead(facts, state, NOW, unexpected))).toEqual(expected)
  })

  it("keeps the portal's own words about a reply it found approved, and names the key", () => {
    const decision = decideFromRead(item('approve', NOW, garbled), 'approved', NOW)
    if (decision.action !== 'settle') throw new Error('expected a settle')
    expect(decision.error?.message).toMatch(/no key in reply/)
    expect(decision.error?.message).toMatch(/dev@example\.com/)
  })
})

const failure = (kind: FailureKind, code: AppError['code'], retryAfterMs: number | null = null) =>
  ({
    kind,
    error: { code, message: code, retryable: kind === 'transient' },
    retryAfterMs
  }) satisfies ClassifiedFailure

describe('decideFromFailure: docs/architecture.md#backoff', () => {
  const context = { now: NOW, backoffMs: 700, graceMs: 15_000 }
  const send: FailureStage = { stage: 'send' }
  it.each<[string, ActionKind, FailureStage, ClassifiedFailure, object]>([
    [
      'approve answered 404',
      'approve',
      send,
      failure('not-found', 'NOT_FOUND'),
      { action: 'settle', state: 'conflict', resolution: 'removed-elsewhere', code: 'CONFLICT' }
    ],
    [
      'decline answered 404',
      'decline',
      send,
      failure('not-found', 'NOT_FOUND'),
      { action: 'settle', state: 'done', resolution: 'already-removed', code: null }
    ],
    [
      'approve answered already processed',
      'approve',
      send,
      failure('conflict', 'CONFLICT'),
      { action: 'settle', state: 'conflict', resolution: 'approved-elsewhere', code: 'CONFLICT' }
    ],
    [
      'decline answered a conflict',
      'decline',
      send,
      failure('conflict', 'CONFLICT'),
      { action: 'settle', state: 'failed', resolution: null, code: 'CONFLICT' }
    ],
    [
      '503: held, the backoff',
      'approve',
      send,
      failure('transient', 'SERVER_ERROR'),
      {
        action: 'retry',
        at: NOW + 700,
        hold: true,
        pauseProfile: false,
        error: failure('transient', 'SERVER_ERROR').error
      }
    ],
    [
      '429 with a longer Retry-After: held until then, the profile pauses',
      'decline',
      send,
      failure('transient', 'RATE_LIMITED', 60_000),
      {
        action: 'retry',
        at: NOW + 60_000,
        hold: true,
        pauseProfile: true,
        error: failure('transient', 'RATE_LIMITED').error
      }
    ],
    [
      '401: park the profile',
      'approve',
      send,
      failure('auth', 'AUTH_REJECTED'),
      { action: 'park', error: failure('auth', 'AUTH_REJECTED').error }
    ],
    [
      '400: failed with the reason',
      'approve',
      send,
      failure('rejected', 'BAD_REQUEST'),
      { action: 'settle', state: 'failed', resolution: null, code: 'BAD_REQUEST' }
    ],
    [
      'unknown outcome: reconcile after the grace period',
      'approve',
      send,
      failure('unknown-outcome', 'TIMEOUT'),
      { action: 'reconcile', verifyAfter: NOW + 15_000, code: 'TIMEOUT' }
    ],
    [
      'unexpected: reconcile too, with the error as it came',
      'decline',
      send,
      failure('unexpected', 'INTERNAL'),
      { action: 'reconcile', verifyAfter: NOW + 15_000, code: 'INTERNAL' }
    ],
    [
      'pre-flight GET transient: held, the backoff',
      'approve',
      { stage: 'preflight' },
      failure('transient', 'OFFLINE'),
      {
        action: 'retry',
        at: NOW + 700,
        hold: true,
        pauseProfile: false,
        error: failure('transient', 'OFFLINE').error
      }
    ],
    [
      'pre-flight GET refused: failed, the check could not be made',
      'approve',
      { stage: 'preflight' },
      failure('rejected', 'INVALID_RESPONSE'),
      { action: 'settle', state: 'failed', resolution: null, code: 'INVALID_RESPONSE' }
    ],
    [
      're-read after a lost reply fails: read again later, nothing sent',
      'approve',
      { stage: 'check', cause: failure('unknown-outcome', 'TIMEOUT') },
      failure('transient', 'OFFLINE'),
      { action: 'retry', at: NOW + 700, hold: false, pauseProfile: false, error: null }
    ],
    [
      're-read after an unexpected error fails: failed with that error',
      'approve',
      { stage: 'check', cause: failure('unexpected', 'INTERNAL') },
      failure('transient', 'OFFLINE'),
      { action: 'settle', state: 'failed', resolution: null, code: 'INTERNAL' }
    ],
    [
      're-read answered 403: park the profile',
      'decline',
      { stage: 'check', cause: failure('unknown-outcome', 'TIMEOUT') },
      failure('auth', 'FORBIDDEN'),
      { action: 'park', error: failure('auth', 'FORBIDDEN').error }
    ]
  ])('%s', (_, kind, where, classified, expected) => {
    const decision = decideFromFailure(item(kind, null), classified, where, context)
    const compared =
      decision.action === 'reconcile'
        ? { action: decision.action, verifyAfter: decision.verifyAfter, code: decision.error.code }
        : summary(decision)
    expect(compared).toEqual(expected)
  })

  it('says an unknown-outcome call is never sent twice blindly', () => {
    const decision = decideFromFailure(
      item('approve', null),
      failure('unknown-outcome', 'TIMEOUT'),
      { stage: 'send' },
      context
    )
    if (decision.action !== 'reconcile') throw new Error('expected a reconcile')
    expect(decision.error.message).toMatch(/never sends it twice/)
  })
})

describe('the words of a decision: what happened on the Dashboard and how far the call got', () => {
  const context = { now: NOW, backoffMs: 700, graceMs: 15_000 }
  const message = (decision: ReturnType<typeof decideFromRead | typeof decideFromFailure>) => {
    if (decision.action !== 'settle') throw new Error(`expected a settle, got ${decision.action}`)
    return decision.error?.message
  }

  it.each<[string, ReturnType<typeof decideFromRead | typeof decideFromFailure>, string]>([
    [
      'pre-flight: approve found approved',
      decideFromRead(item('approve', null), 'approved', NOW),
      'Already approved on the Dashboard before this approval took effect. Nothing was sent; no key was issued to Keygate.'
    ],
    [
      'pre-flight: approve found gone',
      decideFromRead(item('approve', null), 'gone', NOW),
      'Declined or deleted on the Dashboard before this approval took effect. Nothing was sent.'
    ],
    [
      're-read: a decline that may have landed found approved',
      decideFromRead(item('decline', NOW + 5_000, timeout), 'approved', NOW),
      'Approved on the Dashboard before this decline took effect. Keygate never deletes an approved request. Keygate did not send it again.'
    ],
    [
      'approve answered 404',
      decideFromFailure(
        item('approve', null),
        failure('not-found', 'NOT_FOUND'),
        { stage: 'send' },
        context
      ),
      'Declined or deleted on the Dashboard before this approval took effect. The Dashboard refused it.'
    ],
    [
      'approve answered already processed',
      decideFromFailure(
        item('approve', null),
        failure('conflict', 'CONFLICT'),
        { stage: 'send' },
        context
      ),
      'Already approved on the Dashboard before this approval took effect. The Dashboard refused it; no key was issued to Keygate.'
    ],
    [
      'pre-flight GET refused',
      decideFromFailure(
        item('approve', null),
        failure('rejected', 'INVALID_RESPONSE'),
        { stage: 'preflight' },
        context
      ),
      'Could not check the request before sending: INVALID_RESPONSE'
    ]
  ])('%s', (_, decision, expected) => {
    expect(message(decision)).toBe(expected)
  })

  it('an approve that may have landed, found approved without an error on record, says so with INTERNAL', () => {
    const decision = decideFromRead(item('approve', NOW + 5_000), 'approved', NOW)
    expect(summary(decision)).toEqual({
      action: 'settle',
      state: 'done',
      resolution: 'response-lost',
      code: 'INTERNAL'
    })
  })

  it('a 429 on the pre-flight GET holds the item but does not pause the profile', () => {
    const decision = decideFromFailure(
      item('approve', null),
      failure('transient', 'RATE_LIMITED', 60_000),
      { stage: 'preflight' },
      context
    )
    expect(decision).toMatchObject({ action: 'retry', at: NOW + 60_000, pauseProfile: false })
  })
})
