import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import {
  cancelledAfterUnknownError,
  checkFailedError,
  conflictError,
  describeOutboxItem,
  interruptedError,
  outcomeUnknownError,
  removedAfterUnknownError,
  responseLostError,
  unappliedError
} from './messages'

// The words an admin reads in the outbox, notifications and action outcomes: each one says what
// happened on the Dashboard and what Keygate did, which the admin acts on.

const timeout: AppError = {
  code: 'TIMEOUT',
  message: 'The Dashboard did not answer.',
  retryable: true
}

function item(overrides: Partial<OutboxItem>): OutboxItem {
  return {
    opId: 'op1',
    profileId: 'p1',
    requestId: 'r1',
    kind: 'approve',
    reason: null,
    createdAt: '2026-01-05T09:00:00.000Z',
    updatedAt: '2026-01-05T09:00:00.000Z',
    attempts: 0,
    state: 'queued',
    lastError: null,
    resolution: null,
    label: { developerEmail: null, catalogueName: null },
    nextAttemptAt: null,
    sendAfter: null,
    ...overrides
  }
}

describe('conflictError', () => {
  it('says the request was approved elsewhere, how far this approval got, and that no key came', () => {
    expect(conflictError('approve', 'approved-elsewhere', 'not-sent')).toEqual({
      code: 'CONFLICT',
      message:
        'Already approved on the Dashboard before this approval took effect. Nothing was sent; no key was issued to Keygate.',
      retryable: false
    })
    expect(conflictError('approve', 'approved-elsewhere', 'refused').message).toBe(
      'Already approved on the Dashboard before this approval took effect. The Dashboard refused it; no key was issued to Keygate.'
    )
    expect(conflictError('approve', 'approved-elsewhere', 'unknown').message).toBe(
      'Already approved on the Dashboard before this approval took effect. Keygate did not send it again; no key was issued to Keygate.'
    )
  })

  it('says a decline never deletes (or, on a portal that rejects, rejects) a request approved elsewhere', () => {
    expect(conflictError('decline', 'approved-elsewhere', 'refused').message).toBe(
      'Approved on the Dashboard before this decline took effect. Keygate never deletes an approved request. The Dashboard refused it.'
    )
    expect(conflictError('decline', 'approved-elsewhere', 'unknown').message).toBe(
      'Approved on the Dashboard before this decline took effect. Keygate never deletes an approved request. Keygate did not send it again.'
    )
    expect(
      conflictError('decline', 'approved-elsewhere', 'not-sent', { decline: 'rejects' }).message
    ).toBe(
      'Approved on the Dashboard before this decline took effect. Keygate never rejects an approved request. Nothing was sent.'
    )
  })

  it('names the action that found the request declined or deleted', () => {
    expect(conflictError('approve', 'removed-elsewhere', 'not-sent').message).toBe(
      'Declined or deleted on the Dashboard before this approval took effect. Nothing was sent.'
    )
    expect(conflictError('decline', 'removed-elsewhere', 'unknown').message).toBe(
      'Declined or deleted on the Dashboard before this decline took effect. Keygate did not send it again.'
    )
  })
})

describe('responseLostError', () => {
  it('names the developer and the access, so the admin can find the key to revoke', () => {
    const error = responseLostError('TIMEOUT', 'The Dashboard did not answer.', {
      developerEmail: 'dev@example.com',
      catalogueName: 'Payments'
    })
    expect(error).toEqual({
      code: 'TIMEOUT',
      message:
        'Approved on the Dashboard, but the reply carrying the key was lost (The Dashboard did not answer), so Keygate cannot show the key. ' +
        'Keygate did not approve it a second time. ' +
        'dev@example.com holds a live key for Payments that no admin has seen: unless they received it in the portal’s approval email, ' +
        'revoke that key on the Dashboard (Developers, dev@example.com, its key for Payments) and issue a new one, or ask them to request access again. ' +
        'If another admin approved it at the same moment, the key is theirs to pass on.',
      retryable: false
    })
  })

  it('says "the developer" without a label, and no detail when there is none', () => {
    const { message } = responseLostError('INVALID_RESPONSE', null)
    expect(message).toMatch(
      /^Approved on the Dashboard, but the reply carrying the key was lost, so/
    )
    expect(message).toContain('the developer holds a live key that no admin has seen')
    expect(message).toContain('(Developers, the developer, its key)')
  })
})

describe('removedAfterUnknownError', () => {
  it('says a key may exist, for whom and for what, and where to look for it', () => {
    expect(
      removedAfterUnknownError({ developerEmail: 'dev@example.com', catalogueName: 'Payments' })
    ).toEqual({
      code: 'CONFLICT',
      message:
        'The request is no longer on the Dashboard, and Keygate cannot tell whether its approval reached it first. ' +
        'Keygate did not send it again. ' +
        'If it did, dev@example.com holds a live key for Payments that no admin has seen: check their keys on the Dashboard ' +
        '(Developers, dev@example.com) and revoke it if it is there.',
      retryable: false
    })
  })

  it('says "the developer", and names no access, without a label', () => {
    expect(removedAfterUnknownError({ developerEmail: null, catalogueName: null }).message).toBe(
      'The request is no longer on the Dashboard, and Keygate cannot tell whether its approval reached it first. ' +
        'Keygate did not send it again. ' +
        'If it did, the developer holds a live key that no admin has seen: check their keys on the Dashboard ' +
        '(Developers, the developer) and revoke it if it is there.'
    )
  })
})

describe('the errors of a call that failed', () => {
  it('while its outcome is unknown: may have reached the Dashboard, re-checked, never sent twice', () => {
    expect(outcomeUnknownError('decline', timeout)).toEqual({
      code: 'TIMEOUT',
      message:
        'The Dashboard did not answer. The decline may have reached the Dashboard: Keygate re-checks the request before anything else and never sends it twice.',
      retryable: true
    })
    expect(outcomeUnknownError('approve', { ...timeout, message: 'No answer' }).message).toMatch(
      /^No answer\. The approval may have reached/
    )
  })

  it('unapplied: still pending, nothing applied, final until Retry', () => {
    expect(unappliedError(timeout)).toEqual({
      code: 'TIMEOUT',
      message:
        'The Dashboard did not answer. The request is still pending, so nothing was applied: Retry to send it again.',
      retryable: false
    })
  })

  it('when the check before sending failed, retryable as its cause', () => {
    expect(checkFailedError(timeout)).toEqual({
      code: 'TIMEOUT',
      message: 'Could not check the request before sending: The Dashboard did not answer.',
      retryable: true
    })
    expect(checkFailedError({ ...timeout, code: 'INVALID_RESPONSE', retryable: false })).toEqual(
      expect.objectContaining({ code: 'INVALID_RESPONSE', retryable: false })
    )
  })

  it('interrupted by a stop: re-checked at the next start', () => {
    expect(interruptedError).toEqual({
      code: 'INTERNAL',
      message:
        'Keygate stopped while this action was being sent. It re-checks the request on the Dashboard before doing anything else.',
      retryable: true
    })
  })
})

/** A Classic portal: a decline deletes the request. */
const deleting = { decline: 'deletes' } as const

describe('describeOutboxItem', () => {
  it('queued: shortly, or why it was not sent yet', () => {
    expect(describeOutboxItem(item({ kind: 'decline' }), deleting)).toBe(
      'Queued: the decline will be sent shortly.'
    )
    expect(describeOutboxItem(item({ lastError: timeout }), deleting)).toBe(
      'Not sent yet: The Dashboard did not answer. Keygate retries on its own.'
    )
  })

  it('sending: in progress, or why it waits', () => {
    expect(describeOutboxItem(item({ state: 'sending' }), deleting)).toBe('Sending the approval…')
    expect(describeOutboxItem(item({ state: 'sending', lastError: timeout }), deleting)).toBe(
      'The Dashboard did not answer.'
    )
  })

  it('done: approved, declined, already gone, or the key lost on the way', () => {
    const at = '2026-01-05T09:01:00.000Z'
    expect(describeOutboxItem(item({ state: 'done' }), deleting)).toBe(
      'Approved: the key can be shown once.'
    )
    expect(describeOutboxItem(item({ state: 'done', kind: 'decline' }), deleting)).toBe(
      'Declined: the request was deleted.'
    )
    expect(
      describeOutboxItem(
        item({ state: 'done', kind: 'decline', resolution: { reason: 'already-removed', at } }),
        deleting
      )
    ).toBe('Nothing to do: the request had already been declined or deleted on the Dashboard.')
    const lost = responseLostError('TIMEOUT', null)
    expect(
      describeOutboxItem(
        item({ state: 'done', lastError: lost, resolution: { reason: 'response-lost', at } }),
        deleting
      )
    ).toBe(lost.message)
    expect(
      describeOutboxItem(
        item({ state: 'done', resolution: { reason: 'response-lost', at } }),
        deleting
      )
    ).toBe('Approved: the key can be shown once.')
    expect(describeOutboxItem(item({ state: 'done', lastError: timeout }), deleting)).toBe(
      'Approved: the key can be shown once.'
    )
  })

  it('conflict and failed: the error, or that it did not go through', () => {
    expect(describeOutboxItem(item({ state: 'failed', lastError: timeout }), deleting)).toBe(
      'The Dashboard did not answer.'
    )
    expect(describeOutboxItem(item({ state: 'conflict', kind: 'decline' }), deleting)).toBe(
      'The decline did not go through.'
    )
  })

  it('needs-auth: a new secret for a rejected one, a permission for a 403', () => {
    expect(
      describeOutboxItem(
        item({
          state: 'needs-auth',
          lastError: { code: 'FORBIDDEN', message: 'Not allowed to approve.', retryable: false }
        }),
        deleting
      )
    ).toBe(
      'Not allowed to approve. The API key itself is accepted: once the permission is granted, Retry.'
    )
    expect(
      describeOutboxItem(
        item({
          state: 'needs-auth',
          lastError: { code: 'AUTH_REJECTED', message: 'The secret was refused.', retryable: false }
        }),
        deleting
      )
    ).toBe('The secret was refused. Update the profile’s API secret: queued actions resume then.')
    expect(describeOutboxItem(item({ state: 'needs-auth' }), deleting)).toBe(
      'The Dashboard refused the API secret. Update the profile’s API secret: queued actions resume then.'
    )
  })

  it('cancelled: nothing was sent, unless an earlier attempt may have landed', () => {
    expect(describeOutboxItem(item({ state: 'cancelled' }), deleting)).toBe(
      'Cancelled: nothing was sent.'
    )
    const label = { developerEmail: 'dev@example.com', catalogueName: 'Payments' }
    const doubt = cancelledAfterUnknownError('approve', label, 'TIMEOUT')
    const cancelled = item({
      state: 'cancelled',
      lastError: doubt,
      resolution: { reason: 'cancelled-outcome-unknown', at: '2026-01-05T09:10:00.000Z' }
    })
    expect(describeOutboxItem(cancelled, deleting)).toBe(doubt.message)
    // A failed action the admin cancelled keeps its error, but nothing more was sent.
    expect(describeOutboxItem(item({ state: 'cancelled', lastError: timeout }), deleting)).toBe(
      'Cancelled: nothing was sent.'
    )
  })
})

describe('cancelledAfterUnknownError', () => {
  const label = { developerEmail: 'dev@example.com', catalogueName: 'Payments' }

  it('for an approval, names who may hold a live key for what, and where to revoke it', () => {
    expect(cancelledAfterUnknownError('approve', label, 'TIMEOUT')).toEqual({
      code: 'TIMEOUT',
      message:
        'Cancelled with its portal before Keygate could check whether an earlier attempt of this approval reached the Dashboard. ' +
        'If it did, dev@example.com holds a live key for Payments that no admin has seen: check their keys on the Dashboard ' +
        '(Developers, dev@example.com) and revoke it if it is there.',
      retryable: false
    })
  })

  it('for a decline, says the request may have been declined; "the developer" without a label', () => {
    expect(
      cancelledAfterUnknownError(
        'decline',
        { developerEmail: null, catalogueName: null },
        'OFFLINE'
      )
    ).toEqual({
      code: 'OFFLINE',
      message:
        'Cancelled with its portal before Keygate could check whether an earlier attempt of this decline reached the Dashboard. ' +
        'If it did, the request of the developer was declined there.',
      retryable: false
    })
    expect(cancelledAfterUnknownError('decline', label, 'OFFLINE').message).toMatch(
      / If it did, the request of dev@example\.com for Payments was declined there\.$/
    )
  })
})

describe('an error folded into a sentence', () => {
  // Only the closing full stop goes: dots inside (a host name, a decimal) stay.
  const dotted: AppError = {
    code: 'FORBIDDEN',
    message: 'dashboard.example.com refused the call.',
    retryable: false
  }

  it('keeps the dots inside the message it quotes', () => {
    expect(responseLostError('TIMEOUT', 'Timed out after 10.5 s.').message).toMatch(
      /^Approved on the Dashboard, but the reply carrying the key was lost \(Timed out after 10\.5 s\), so/
    )
    expect(outcomeUnknownError('approve', dotted).message).toMatch(
      /^dashboard\.example\.com refused the call\. The approval may have reached/
    )
    expect(unappliedError(dotted).message).toMatch(
      /^dashboard\.example\.com refused the call\. The request is still pending/
    )
    expect(describeOutboxItem(item({ state: 'needs-auth', lastError: dotted }), deleting)).toMatch(
      /^dashboard\.example\.com refused the call\. The API key itself is accepted/
    )
  })
})
