import { describe, expect, it } from 'vitest'
import type { KeyRequest, OutboxItem, RequestListView } from '../../../shared/domain'
import { ListOverlay } from './list-overlay'

const item = (
  opId: string,
  requestId: string,
  state: OutboxItem['state'],
  overrides: Partial<OutboxItem> = {}
): OutboxItem => ({
  opId,
  profileId: 'p1',
  requestId,
  kind: 'approve',
  reason: null,
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-01-05T09:00:00.000Z',
  attempts: 0,
  state,
  lastError: null,
  resolution: null,
  label: { developerEmail: null, catalogueName: null },
  nextAttemptAt: null,
  sendAfter: null,
  ...overrides
})

const request = (id: string, profileId = 'p1'): KeyRequest => ({
  id,
  profileId,
  approved: false,
  createdAt: null,
  developer: { id: 'd1', email: null },
  policies: [],
  catalogue: null,
  catalogues: [],
  fields: {},
  details: {
    kind: 'tyk-classic',
    legacy: false,
    version: null,
    forApi: null,
    oauthRedirectUri: null
  },
  queued: null
})

const view = (ids: string[], fetchedAt: string | null): RequestListView => ({
  items: ids.map((id) => request(id)),
  sources: [{ profileId: 'p1', status: 'pending', fetchedAt, stale: false, error: null }]
})

describe('ListOverlay', () => {
  it('shows the first active action of each request and reports only profiles that changed', () => {
    const overlay = new ListOverlay()
    expect(overlay.update([item('a', 'r1', 'queued'), item('b', 'r1', 'queued')])).toEqual(['p1'])
    expect(overlay.queued('p1', 'r1')).toEqual({ opId: 'a', kind: 'approve', state: 'queued' })
    expect(overlay.queued('p1', 'r2')).toBeNull()
    expect(overlay.update([item('a', 'r1', 'queued'), item('b', 'r1', 'queued')])).toEqual([])
    expect(
      overlay.update([
        item('a', 'r1', 'sending'),
        item('b', 'r1', 'queued'),
        item('c', 'x1', 'queued', { profileId: 'p2' })
      ])
    ).toEqual(['p1', 'p2'])
    expect(overlay.update([item('a', 'r1', 'failed'), item('b', 'r1', 'queued')])).toEqual([
      'p1',
      'p2'
    ])
    expect(overlay.queued('p1', 'r1')?.opId).toBe('b')
  })

  it('hides requests that left the pending list after the list was fetched, not before', () => {
    const overlay = new ListOverlay()
    overlay.update([
      item('a', 'r1', 'done', { updatedAt: '2026-01-05T09:00:05.000Z' }),
      item('b', 'r2', 'conflict', {
        updatedAt: '2026-01-05T09:00:09.000Z',
        resolution: { reason: 'approved-elsewhere', at: '2026-01-05T09:00:06.000Z' }
      }),
      item('c', 'r3', 'failed'),
      item('d', 'r4', 'cancelled')
    ])
    const ids = (list: RequestListView) => list.items.map((r) => r.id)
    const all = ['r1', 'r2', 'r3', 'r4', 'r5']
    expect(ids(overlay.pending(view(all, '2026-01-05T09:00:01.000Z')))).toEqual(['r3', 'r4', 'r5'])
    expect(ids(overlay.pending(view(all, null)))).toEqual(['r3', 'r4', 'r5'])
    expect(ids(overlay.pending(view(all, '2026-01-05T09:00:05.500Z')))).toEqual([
      'r1',
      'r3',
      'r4',
      'r5'
    ])
    const fresh = view(all, '2026-01-05T09:00:07.000Z')
    expect(overlay.pending(fresh)).toBe(fresh)
  })

  it('reports a profile when only the acting item, only its state or only the left time changed', () => {
    const overlay = new ListOverlay()
    overlay.update([item('a', 'r1', 'queued'), item('b', 'r1', 'queued')])
    // a cancelled: b, also queued, now acts on r1.
    expect(overlay.update([item('a', 'r1', 'cancelled'), item('b', 'r1', 'queued')])).toEqual([
      'p1'
    ])
    expect(overlay.queued('p1', 'r1')).toEqual({ opId: 'b', kind: 'approve', state: 'queued' })
    expect(overlay.update([item('a', 'r1', 'cancelled'), item('b', 'r1', 'needs-auth')])).toEqual([
      'p1'
    ])
    const done = (updatedAt: string) => item('c', 'r2', 'done', { updatedAt })
    overlay.update([done('2026-01-05T09:00:05.000Z')])
    expect(overlay.update([done('2026-01-05T09:00:05.000Z')])).toEqual([])
    expect(overlay.update([done('2026-01-05T09:00:06.000Z')])).toEqual(['p1'])
    expect(overlay.update([])).toEqual(['p1'])
    expect(overlay.update([])).toEqual([])
  })

  it('takes the earliest time a request was known to have left the pending list', () => {
    const overlay = new ListOverlay()
    overlay.update([
      item('a', 'r1', 'done', { updatedAt: '2026-01-05T09:00:08.000Z' }),
      item('b', 'r1', 'conflict', { updatedAt: '2026-01-05T09:00:04.000Z' }),
      item('c', 'r1', 'done', { updatedAt: '2026-01-05T09:00:06.000Z' })
    ])
    const ids = (list: RequestListView) => list.items.map((r) => r.id)
    expect(ids(overlay.pending(view(['r1'], '2026-01-05T09:00:03.000Z')))).toEqual([])
    expect(ids(overlay.pending(view(['r1'], '2026-01-05T09:00:04.000Z')))).toEqual([])
    expect(ids(overlay.pending(view(['r1'], '2026-01-05T09:00:05.000Z')))).toEqual(['r1'])
  })

  it('hides a left request from a profile the view has no fetch time for', () => {
    const overlay = new ListOverlay()
    overlay.update([item('a', 'r1', 'done', { profileId: 'p2' })])
    const list: RequestListView = {
      items: [request('r1', 'p2'), request('r1')],
      sources: [
        {
          profileId: 'p1',
          status: 'pending',
          fetchedAt: '2026-01-05T10:00:00.000Z',
          stale: false,
          error: null
        }
      ]
    }
    expect(overlay.pending(list).items.map((r) => r.profileId)).toEqual(['p1'])
  })

  it('does not report a profile for items the lists never show (failed, cancelled)', () => {
    const overlay = new ListOverlay()
    expect(overlay.update([item('a', 'r1', 'failed'), item('b', 'r2', 'cancelled')])).toEqual([])
    expect(overlay.update([])).toEqual([])
  })
})
