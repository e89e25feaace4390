import { describe, expect, it } from 'vitest'
import { pendingTooltip, totalPending } from './pending-count'

describe('totalPending', () => {
  it('sums pending counts, treating unknown as zero', () => {
    expect(totalPending([{ pendingCount: 3 }, { pendingCount: null }, { pendingCount: 4 }])).toBe(7)
    expect(totalPending([])).toBe(0)
  })
})

describe('pendingTooltip', () => {
  it('reads naturally for none, one and many', () => {
    expect(pendingTooltip(0)).toBe('Keygate: no pending key requests')
    expect(pendingTooltip(1)).toBe('Keygate: 1 pending key request')
    expect(pendingTooltip(12)).toBe('Keygate: 12 pending key requests')
  })
})
