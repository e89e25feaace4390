import { describe, expect, it } from 'vitest'
import { outboxStates, type OutboxState } from '../../../shared/domain'
import type { StoredOutboxItem } from './outbox-types'
import { itemsToPrune, MIN_FINISHED_AGE_MS } from './pruning'

const now = Date.parse('2026-03-20T12:00:00.000Z')
const hour = 60 * 60_000

/** An item that reached `state` `ageMs` before now. */
function finished(opId: string, ageMs: number, state: OutboxState = 'done'): StoredOutboxItem {
  const at = new Date(now - ageMs).toISOString()
  return {
    opId,
    profileId: 'p1',
    requestId: `r-${opId}`,
    kind: 'approve',
    reason: null,
    createdAt: at,
    updatedAt: at,
    attempts: 1,
    state,
    lastError: null,
    resolution: null,
    label: { developerEmail: null, catalogueName: null },
    nextAttemptAt: null,
    sendAfter: null,
    verifyAfter: null
  }
}

describe('itemsToPrune', () => {
  it('keeps every item within an hour of finishing, however small the limits', () => {
    expect(MIN_FINISHED_AGE_MS).toBe(hour)
    const items = [finished('a', hour - 1), finished('b', 0)]
    expect(itemsToPrune(items, now, { retentionMs: 0, maxFinished: 0 })).toEqual([])
    expect(itemsToPrune([finished('c', hour)], now, { retentionMs: 0, maxFinished: 0 })).toEqual([
      'c'
    ])
  })

  it('drops finished items older than the retention, not those exactly as old', () => {
    const policy = { retentionMs: 5 * hour, maxFinished: 100 }
    const items = [
      finished('old', 5 * hour + 1),
      finished('edge', 5 * hour),
      finished('new', 2 * hour)
    ]
    expect(itemsToPrune(items, now, policy)).toEqual(['old'])
  })

  it('drops those beyond the most recently finished `maxFinished`, whatever the order given', () => {
    const policy = { retentionMs: 100 * hour, maxFinished: 2 }
    const items = [
      finished('3h', 3 * hour),
      finished('9h', 9 * hour),
      finished('2h', 2 * hour),
      finished('5h', 5 * hour)
    ]
    expect(itemsToPrune(items, now, policy)).toEqual(['5h', '9h'])
  })

  it('prunes only done, conflict and cancelled items: the others wait for the user or the outbox', () => {
    const items = outboxStates.map((state) => finished(state, 30 * hour, state))
    expect(itemsToPrune(items, now, { retentionMs: hour, maxFinished: 0 }).sort()).toEqual([
      'cancelled',
      'conflict',
      'done'
    ])
  })
})
