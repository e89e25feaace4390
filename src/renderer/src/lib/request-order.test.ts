import { describe, expect, it } from 'vitest'
import { sortRows } from './request-order'
import { buildRows } from './request-rows'
import { testKeyRequest as request } from '../../../shared/testing/key-request'

describe('sortRows', () => {
  // As the core delivers them: newest first.
  const rows = buildRows([
    request('r1', {
      createdAt: '2026-03-12T10:00:00Z',
      developer: { id: 'd1', email: 'zoe@example.com' },
      policies: [{ id: 'p1', name: 'Bronze' }]
    }),
    request('r2', {
      profileId: 'a-portal',
      createdAt: null,
      developer: { id: 'd2', email: null },
      policies: []
    }),
    request('r3', {
      createdAt: '2026-03-11T10:00:00Z',
      developer: { id: 'd3', email: 'Adam@example.com' },
      policies: [{ id: 'p2', name: null }]
    }),
    request('r4', {
      createdAt: '2026-03-10T10:00:00Z',
      developer: { id: 'd4', email: 'mia@example.com' }
    })
  ])
  const names: Record<string, string> = { prod: 'Production', 'a-portal': 'Acme' }
  const ids = (sort: Parameters<typeof sortRows>[1]) =>
    sortRows(rows, sort, (id) => names[id] ?? '').map((row) => row.item.id)

  it('keeps the delivered order for newest first, and copies the list', () => {
    expect(ids('newest')).toEqual(['r1', 'r2', 'r3', 'r4'])
    expect(sortRows(rows, 'newest', () => '')).not.toBe(rows)
  })

  it('puts the oldest first and undated requests last', () => {
    expect(ids('oldest')).toEqual(['r4', 'r3', 'r1', 'r2'])
  })

  it('sorts by developer email, case-insensitively, developers without an email last', () => {
    expect(ids('developer')).toEqual(['r3', 'r4', 'r1', 'r2'])
  })

  it('sorts by portal name, ties in delivered order', () => {
    expect(ids('portal')).toEqual(['r2', 'r1', 'r3', 'r4'])
  })

  it('sorts by policy name (or id when unnamed), requests without a policy last', () => {
    expect(ids('policy')).toEqual(['r1', 'r4', 'r3', 'r2'])
  })
})
