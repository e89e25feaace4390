import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { currentQueued, queuedBadge, resolutionText } from './outbox-text'
import { testOutboxItem } from './testing/outbox-item'

const item = (overrides: Partial<OutboxItem>): OutboxItem =>
  testOutboxItem({ state: 'conflict', ...overrides })

describe('outbox wording', () => {
  // Today at 14:02, so the time reads without a date.
  const today = new Date()
  const at = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 14, 2).toISOString()

  it('explains conflicts and no-op declines in words', () => {
    expect(resolutionText(item({ resolution: { reason: 'approved-elsewhere', at } }))).toBe(
      'found approved elsewhere at 14:02 — nothing sent'
    )
    expect(resolutionText(item({ resolution: { reason: 'removed-elsewhere', at } }))).toBe(
      'found removed elsewhere at 14:02 — nothing sent'
    )
    expect(
      resolutionText(item({ state: 'done', resolution: { reason: 'already-removed', at } }))
    ).toBe('already removed — decline done')
    expect(
      resolutionText(
        item({ kind: 'approve', state: 'done', resolution: { reason: 'response-lost', at } })
      )
    ).toMatch(/^approved \(confirmed at 14:02\), but the reply was lost/)
    expect(resolutionText(item({ resolution: null }))).toBeNull()
  })

  it('labels queued actions on list rows', () => {
    expect(queuedBadge('approve', 'queued')).toBe('approval queued')
    expect(queuedBadge('decline', 'queued')).toBe('decline queued')
    expect(queuedBadge('approve', 'sending')).toBe('sending…')
    expect(queuedBadge('approve', 'done')).toBeNull()
  })

  it("prefers the outbox's newer state over the list overlay", () => {
    const byOp = new Map([['op-1', item({ kind: 'approve', state: 'sending' })]])
    expect(currentQueued({ opId: 'op-1', kind: 'approve', state: 'queued' }, byOp)?.state).toBe(
      'sending'
    )
    expect(currentQueued({ opId: 'op-9', kind: 'approve', state: 'queued' }, byOp)?.state).toBe(
      'queued'
    )
    expect(currentQueued(null, byOp)).toBeNull()
  })
})
