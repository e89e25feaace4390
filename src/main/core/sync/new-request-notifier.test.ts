import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { NewRequestNotifier, newRequestsText, replayProblemsText } from './new-request-notifier'
import { testRequestDetail } from '../testing/fake-portal'
import { RecordingLogger } from '../testing/recording-logger'
import { RecordingNotifier } from '../testing/recording-notifier'

const profile = { id: 'p1', name: 'Production', notifications: true }

function outboxItem(overrides: Partial<OutboxItem>): OutboxItem {
  return {
    opId: 'op',
    profileId: 'p1',
    requestId: 'r1',
    kind: 'approve',
    reason: null,
    createdAt: '2026-01-05T09:00:00.000Z',
    updatedAt: '2026-01-05T09:00:00.000Z',
    attempts: 1,
    state: 'conflict',
    lastError: null,
    resolution: { reason: 'approved-elsewhere', at: '2026-01-05T09:00:00.000Z' },
    label: { developerEmail: 'ana@acme.io', catalogueName: 'Payments API' },
    nextAttemptAt: null,
    ...overrides
  }
}

describe('new request notifications', () => {
  it('names the count, the profile and the first three requests', () => {
    const requests = [
      testRequestDetail('p1', { developer: { id: 'd1', email: 'ana@acme.io' } }),
      testRequestDetail('p1', { developer: { id: 'd2', email: 'bo@acme.io' }, catalogue: null }),
      testRequestDetail('p1', { developer: { id: 'd3', email: null } }),
      testRequestDetail('p1')
    ]
    requests[0]!.catalogue = { name: 'Payments API', authType: 'authToken', policyId: null }
    requests[1]!.catalogues = []
    requests[1]!.policies = [{ id: 'gold', name: 'Gold plan' }]
    requests[2]!.catalogue = { name: 'Billing', authType: null, policyId: null }
    expect(newRequestsText('Production', requests)).toEqual({
      title: '4 new key requests on Production',
      body: 'ana@acme.io — Payments API\nbo@acme.io — Gold plan\ndeveloper d3 — Billing\nand 1 more'
    })
    expect(newRequestsText('Staging', [requests[0]!]).title).toBe('1 new key request on Staging')
  })

  it('shows one notification whose click opens the first request', () => {
    const notifier = new RecordingNotifier()
    const clicks: string[] = []
    const n = new NewRequestNotifier({
      notifier,
      logger: new RecordingLogger(),
      onClick: (profileId, requestId) => clicks.push(`${profileId}/${requestId}`)
    })
    const requests = [
      testRequestDetail('p1', { id: 'new2' }),
      testRequestDetail('p1', { id: 'new1' })
    ]
    expect(n.announce(profile, requests)).toBe(true)
    expect(notifier.shown).toHaveLength(1)
    notifier.shown[0]!.onClick()
    expect(clicks).toEqual(['p1/new2'])
  })

  it('stays quiet when the profile has notifications off, the OS has none, or nothing is new', () => {
    const notifier = new RecordingNotifier()
    const n = new NewRequestNotifier({ notifier, logger: new RecordingLogger(), onClick: () => {} })
    expect(n.announce({ ...profile, notifications: false }, [testRequestDetail('p1')])).toBe(false)
    expect(n.announce(profile, [])).toBe(false)
    const unsupported = new NewRequestNotifier({
      notifier: new RecordingNotifier(false),
      logger: new RecordingLogger(),
      onClick: () => {}
    })
    expect(unsupported.announce(profile, [testRequestDetail('p1')])).toBe(false)
    expect(notifier.shown).toHaveLength(0)
  })

  it('names a missing write permission as such, and a rejected secret as such', () => {
    const parked = (code: 'FORBIDDEN' | 'AUTH_REJECTED') =>
      outboxItem({
        state: 'needs-auth',
        resolution: null,
        lastError: { code, message: 'refused', retryable: false }
      })
    expect(replayProblemsText('Production', [parked('FORBIDDEN')]).body).toBe(
      'Approve ana@acme.io — Payments API: refused: no write permission'
    )
    expect(replayProblemsText('Production', [parked('AUTH_REJECTED')]).body).toBe(
      'Approve ana@acme.io — Payments API: API secret rejected'
    )
  })

  it('explains replay problems in words, even with new-request notifications off', () => {
    const items = [
      outboxItem({ requestId: 'r1' }),
      outboxItem({
        requestId: 'r2',
        kind: 'decline',
        state: 'failed',
        resolution: null,
        lastError: {
          code: 'BAD_REQUEST',
          message: 'The portal refused it (400)',
          retryable: false
        },
        label: { developerEmail: 'bo@acme.io', catalogueName: null }
      })
    ]
    expect(replayProblemsText('Production', items)).toEqual({
      title: '2 queued actions on Production need attention',
      body:
        'Approve ana@acme.io — Payments API: approved elsewhere\n' +
        'Decline bo@acme.io — no catalogue entry: failed: The portal refused it (400)'
    })
    expect(replayProblemsText('Production', [items[0]!]).title).toBe(
      '1 queued action on Production needs attention'
    )
    const notifier = new RecordingNotifier()
    const clicks: string[] = []
    const n = new NewRequestNotifier({
      notifier,
      logger: new RecordingLogger(),
      onClick: (_p, requestId) => clicks.push(requestId)
    })
    expect(n.replayProblems({ ...profile, notifications: false }, items)).toBe(true)
    notifier.shown[0]!.onClick()
    expect(clicks).toEqual(['r1'])
  })
})
