import { describe, expect, it } from 'vitest'
import type { DecisionLogEntry } from '../../../shared/domain'
import {
  applyDecisionFilters,
  decisionOutcome,
  filterDecisions,
  mergeDecisions,
  noDecisionFilters
} from './decision-rows'
import { searchTerms } from './request-rows'
import { testOutboxItem } from './testing/outbox-item'
import { testDecisionEntry } from '../../../shared/testing/decision-entry'

function entry(overrides: Partial<DecisionLogEntry>): DecisionLogEntry {
  return testDecisionEntry({
    profileId: 'prod',
    requestId: 'r1',
    developerEmail: 'a@example.com',
    ...overrides
  })
}

describe('decision log rows', () => {
  it('merges portals newest first, keeping log order for the same instant', () => {
    const prod = [
      entry({ opId: 'p3', decidedAt: '2026-03-12T15:00:00.000Z' }),
      entry({ opId: 'p2', decidedAt: '2026-03-12T13:00:00.000Z' }),
      entry({ opId: 'p1', decidedAt: '2026-03-12T13:00:00.000Z' })
    ]
    const staging = [
      entry({ opId: 's2', profileId: 'staging', decidedAt: '2026-03-12T14:00:00.000Z' }),
      entry({ opId: 's1', profileId: 'staging', decidedAt: '2026-03-11T09:00:00.000Z' })
    ]
    expect(mergeDecisions([prod, staging]).map((row) => row.key)).toEqual([
      'p3',
      's2',
      'p2',
      'p1',
      's1'
    ])
    expect(mergeDecisions([])).toEqual([])
  })

  it('searches email, request id, reason and who decided, every term matching', () => {
    const rows = mergeDecisions([
      [
        entry({ opId: 'a', developerEmail: 'Dev@Acme.io', reason: 'Duplicate request' }),
        entry({ opId: 'b', requestId: 'req-77', by: 'bob', developerEmail: null }),
        entry({ opId: 'c', kind: 'approve', developerEmail: 'ops@acme.io' })
      ]
    ])
    const keys = (query: string) => filterDecisions(rows, searchTerms(query)).map((row) => row.key)
    expect(keys('')).toEqual(['a', 'b', 'c'])
    expect(keys('acme')).toEqual(['a', 'c'])
    expect(keys('acme duplicate')).toEqual(['a'])
    expect(keys('REQ-77')).toEqual(['b'])
    expect(keys('bob')).toEqual(['b'])
    expect(keys('nobody')).toEqual([])
  })
})

describe('decision outcome', () => {
  it('says what became of a decision from the log alone once the outbox has let it go', () => {
    const words = (overrides: Partial<DecisionLogEntry>) =>
      decisionOutcome(entry(overrides), undefined)
    expect(words({ kind: 'approve', outcome: 'done' })).toEqual({
      state: 'done',
      words: 'approved on the portal'
    })
    expect(words({ kind: 'decline', outcome: 'done' }).words).toBe('removed from the portal')
    expect(words({ outcome: 'queued' }).words).toBe('waiting to be sent')
    expect(words({ outcome: 'needs-auth' }).words).toBe(
      'waiting for a valid API key for this portal'
    )
    expect(words({ outcome: 'conflict' }).words).toBe(
      'the request had changed on the portal — nothing sent'
    )
    expect(words({ outcome: 'cancelled' }).words).toBe('cancelled before it was sent')
  })

  it('keeps the doubt a resolution recorded once the outbox item is gone', () => {
    const today = new Date()
    const at = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 9, 41)
    const doubt = (kind: 'approve' | 'decline') =>
      decisionOutcome(
        entry({
          kind,
          outcome: 'cancelled',
          resolution: { reason: 'cancelled-outcome-unknown', at: at.toISOString() }
        }),
        undefined
      )
    expect(doubt('approve')).toEqual({
      state: 'cancelled',
      words:
        'cancelled at 09:41 with its portal — an earlier attempt may have issued a key: check the Dashboard'
    })
    expect(doubt('decline').words).toBe(
      'cancelled at 09:41 with its portal — an earlier attempt may have declined it'
    )
    const removed = entry({
      kind: 'approve',
      outcome: 'conflict',
      resolution: { reason: 'removed-outcome-unknown', at: at.toISOString() }
    })
    expect(decisionOutcome(removed, undefined).words).toMatch(/may have issued a key first/)
  })

  it('prefers the outbox item, which is newer and knows why', () => {
    const today = new Date()
    const at = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 14, 2)
    const logged = entry({ kind: 'approve', outcome: 'sending' })
    expect(
      decisionOutcome(
        logged,
        testOutboxItem({
          kind: 'approve',
          state: 'conflict',
          resolution: { reason: 'approved-elsewhere', at: at.toISOString() }
        })
      )
    ).toEqual({ state: 'conflict', words: 'found approved elsewhere at 14:02 — nothing sent' })
    expect(
      decisionOutcome(
        entry({ outcome: 'queued' }),
        testOutboxItem({
          state: 'done',
          resolution: { reason: 'already-removed', at: at.toISOString() }
        })
      )
    ).toEqual({ state: 'done', words: 'already removed — decline done' })
    expect(decisionOutcome(logged, testOutboxItem({ kind: 'approve', state: 'done' }))).toEqual({
      state: 'done',
      words: 'approved on the portal'
    })
  })
})

describe('decision log filters', () => {
  const rows = mergeDecisions([
    [
      entry({ opId: 'a', decidedAt: '2026-03-14T23:30:00.000Z', outcome: 'done' }),
      entry({ opId: 'b', decidedAt: '2026-03-12T00:10:00.000Z', outcome: 'queued' }),
      entry({
        opId: 'c',
        decidedAt: '2026-03-10T09:00:00.000Z',
        outcome: 'conflict',
        policyNames: ['Gold tier'],
        catalogueName: 'Payments API'
      })
    ],
    [
      entry({
        opId: 's',
        profileId: 'staging',
        decidedAt: '2026-03-12T10:00:00.000Z',
        outcome: 'needs-auth'
      })
    ]
  ])
  const ids = (patch: Partial<typeof noDecisionFilters>) =>
    applyDecisionFilters(rows, { ...noDecisionFilters, ...patch }).map((row) => row.entry.opId)

  it('narrows by portal, by inclusive UTC days, and by outcome, all together', () => {
    expect(ids({})).toEqual(['a', 's', 'b', 'c'])
    expect(ids({ profileId: 'staging' })).toEqual(['s'])
    expect(ids({ from: '2026-03-12', to: '2026-03-14' })).toEqual(['a', 's', 'b'])
    expect(ids({ from: '2026-03-13' })).toEqual(['a'])
    expect(ids({ to: '2026-03-11' })).toEqual(['c'])
    expect(ids({ outcome: 'waiting' })).toEqual(['s', 'b'])
    expect(ids({ outcome: 'conflict' })).toEqual(['c'])
    expect(ids({ outcome: 'waiting', profileId: 'prod' })).toEqual(['b'])
  })

  it('finds a decision by the policy and catalogue names it recorded', () => {
    expect(filterDecisions(rows, ['gold']).map((row) => row.entry.opId)).toEqual(['c'])
    expect(filterDecisions(rows, ['payments']).map((row) => row.entry.opId)).toEqual(['c'])
  })
})
