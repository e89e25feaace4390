import { describe, expect, it } from 'vitest'
import type { AppError } from '../../../shared/result'
import { ListCache } from './list-cache'
import { LIST_CACHE_KEY } from './list-cache-file'
import { FakeClock } from '../testing/fake-clock'
import { testRequestDetail } from '../testing/fake-portal'
import { FakeStore } from '../testing/fake-store'
import { RecordingLogger } from '../testing/recording-logger'

const offline: AppError = {
  code: 'OFFLINE',
  message: 'Portal unreachable (connection refused)',
  retryable: true
}

function setup(store = new FakeStore(), clock = new FakeClock()) {
  const logger = new RecordingLogger()
  const cache = new ListCache({ store, clock, logger, flushDelayMs: 2000 })
  return { store, clock, logger, cache }
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString()

describe('ListCache', () => {
  it('shows a fetched list newest first, without raw JSON, as fresh', () => {
    const { cache, clock } = setup()
    const items = [1, 3, 2].map((m) => testRequestDetail('p1', { id: `r${m}`, createdAt: at(m) }))
    cache.put('p1', 'pending', items)
    const view = cache.view(['p1'], 'pending')
    expect(view.items.map((i) => i.id)).toEqual(['r3', 'r2', 'r1'])
    expect(view.items[0]).not.toHaveProperty('raw')
    expect(view.sources).toEqual([
      {
        profileId: 'p1',
        status: 'pending',
        fetchedAt: new Date(clock.now()).toISOString(),
        stale: false,
        error: null
      }
    ])
  })

  it('patches a decided row: off pending, onto approved when approved, same fetch time, no read', async () => {
    const { cache, clock } = setup()
    const pending = [1, 2, 3].map((m) => testRequestDetail('p1', { id: `r${m}`, createdAt: at(m) }))
    cache.put('p1', 'pending', pending)
    cache.put('p1', 'approved', [
      testRequestDetail('p1', { id: 'a9', createdAt: at(0), approved: true })
    ])
    const fetchedAt = cache.source('p1', 'pending').fetchedAt
    await clock.advance(60_000)

    expect(cache.patchDecided('p1', 'r2', true)).toBe(true)
    expect(cache.patchDecided('p1', 'r1', false)).toBe(true)
    expect(cache.patchDecided('p1', 'r1', false)).toBe(false)
    expect(cache.items('p1', 'pending')!.map((r) => r.id)).toEqual(['r3'])
    expect(cache.has('p1', 'pending', 'r2')).toBe(false)
    expect(cache.items('p1', 'approved')!.map((r) => [r.id, r.approved])).toEqual([
      ['r2', true],
      ['a9', true]
    ])
    expect(cache.source('p1', 'pending').fetchedAt).toBe(fetchedAt)
  })

  it('marks a never fetched list stale with no items', () => {
    const { cache } = setup()
    const view = cache.view(['p1'], 'approved')
    expect(view.items).toEqual([])
    expect(view.sources[0]).toMatchObject({ fetchedAt: null, stale: true, error: null })
    expect(cache.items('p1', 'approved')).toBeNull()
  })

  it('writes a changed list once per batch and never rewrites an unchanged one', async () => {
    const { cache, store, clock } = setup()
    const items = [testRequestDetail('p1'), testRequestDetail('p1')]
    expect(cache.put('p1', 'pending', items).changed).toBe(true)
    cache.put('p2', 'pending', [testRequestDetail('p2')])
    expect(store.writes).toBe(0)
    await clock.advance(2000)
    expect(store.writes).toBe(1)

    for (let poll = 0; poll < 5; poll += 1) {
      const same = items.map((item) => ({ ...item, raw: { other: poll } }))
      expect(cache.put('p1', 'pending', same)).toEqual({ changed: false, viewChanged: false })
      await clock.advance(60_000)
    }
    expect(store.writes).toBe(1)

    const edited = [{ ...items[0]!, fields: { reason: 'changed' } }, items[1]!]
    expect(cache.put('p1', 'pending', edited).changed).toBe(true)
    await clock.advance(2000)
    expect(store.writes).toBe(2)
  })

  it('merges added, changed and removed requests into the cached order', () => {
    const { cache } = setup()
    cache.put(
      'p1',
      'pending',
      [5, 3, 1].map((m) => testRequestDetail('p1', { id: `r${m}`, createdAt: at(m) }))
    )
    const [r5, r3, r1] = cache.items('p1', 'pending')!
    const next = [
      testRequestDetail('p1', { id: 'r4', createdAt: at(4) }),
      { ...r3!, fields: { reason: 'edited' } },
      { ...r1! },
      testRequestDetail('p1', { id: 'r6', createdAt: at(6) }),
      { ...r1! }
    ]
    expect(cache.put('p1', 'pending', next).changed).toBe(true)
    const items = cache.items('p1', 'pending')!
    expect(items.map((i) => i.id)).toEqual(['r6', 'r4', 'r3', 'r1'])
    expect(items[2]!.fields).toEqual({ reason: 'edited' })
    expect(items[3]).toBe(r1)
    expect(items).not.toContain(r5)
    expect(
      cache.put(
        'p1',
        'pending',
        items.map((i) => ({ ...i }))
      ).changed
    ).toBe(false)
    expect(cache.put('p1', 'pending', items.slice(1)).changed).toBe(true)
    expect(cache.items('p1', 'pending')!.map((i) => i.id)).toEqual(['r4', 'r3', 'r1'])
  })

  it('keeps the newer fetch time of an unchanged list for the next write or flush', async () => {
    const { cache, store, clock } = setup()
    cache.put('p1', 'pending', [testRequestDetail('p1')])
    await clock.advance(2000)
    await clock.advance(60_000)
    cache.put('p1', 'pending', cache.items('p1', 'pending')!)
    await clock.advance(10_000)
    expect(store.writes).toBe(1)
    cache.flush()
    expect(store.writes).toBe(2)
    const reopened = setup(store, clock).cache
    expect(reopened.source('p1', 'pending').fetchedAt).toBe(
      new Date(clock.now() - 10_000).toISOString()
    )
  })

  it('serves the cached list after a restart as stale until fetched again', async () => {
    const { cache, store, clock } = setup()
    const items = [
      testRequestDetail('p1', { createdAt: at(1) }),
      testRequestDetail('p1', { createdAt: at(2) })
    ]
    cache.put('p1', 'pending', items)
    const fetchedAt = new Date(clock.now()).toISOString()
    cache.flush()

    await clock.advance(3_600_000)
    const reopened = setup(store, clock).cache
    const view = reopened.view(['p1'], 'pending')
    expect(view.items.map((i) => i.id)).toEqual([items[1]!.id, items[0]!.id])
    expect(view.sources[0]).toMatchObject({ fetchedAt, stale: true, error: null })
    expect(reopened.attempted('p1', 'pending')).toBe(false)

    expect(reopened.put('p1', 'pending', items)).toEqual({ changed: false, viewChanged: true })
    expect(reopened.source('p1', 'pending').stale).toBe(false)
  })

  it('keeps the last good list with the error when a fetch fails', () => {
    const { cache } = setup()
    cache.put('p1', 'pending', [testRequestDetail('p1')])
    expect(cache.fail('p1', 'pending', offline)).toBe(true)
    expect(cache.fail('p1', 'pending', offline)).toBe(false)
    const view = cache.view(['p1'], 'pending')
    expect(view.items).toHaveLength(1)
    expect(view.sources[0]).toMatchObject({ stale: true, error: offline })
    expect(cache.attempted('p1', 'pending')).toBe(true)
  })

  it('merges profiles newest first with one source each and overlays queued actions', () => {
    const { cache } = setup()
    cache.put('p1', 'pending', [
      testRequestDetail('p1', { id: 'a', createdAt: at(5) }),
      testRequestDetail('p1', { id: 'b', createdAt: at(1) })
    ])
    cache.put('p2', 'pending', [
      testRequestDetail('p2', { id: 'c', createdAt: at(3) }),
      testRequestDetail('p2', { id: 'd', createdAt: null })
    ])
    cache.fail('p3', 'pending', offline)
    const queued = { opId: 'op1', kind: 'approve' as const, state: 'queued' as const }
    const view = cache.view(['p1', 'p2', 'p3'], 'pending', (profileId, requestId) =>
      profileId === 'p2' && requestId === 'c' ? queued : null
    )
    expect(view.items.map((i) => `${i.profileId}/${i.id}`)).toEqual([
      'p1/a',
      'p2/c',
      'p1/b',
      'p2/d'
    ])
    expect(view.items.find((i) => i.id === 'c')!.queued).toEqual(queued)
    expect(view.items.find((i) => i.id === 'a')!.queued).toBeNull()
    expect(cache.items('p2', 'pending')!.find((i) => i.id === 'c')!.queued).toBeNull()
    expect(view.sources.map((s) => [s.profileId, s.stale])).toEqual([
      ['p1', false],
      ['p2', false],
      ['p3', true]
    ])
  })

  it('drops a removed profile from memory and disk', async () => {
    const { cache, store, clock } = setup()
    cache.put('p1', 'pending', [testRequestDetail('p1')])
    cache.put('p2', 'approved', [testRequestDetail('p2', { approved: true })])
    await clock.advance(2000)
    cache.remove('p1')
    await clock.advance(2000)
    const reopened = setup(store, clock).cache
    expect(reopened.items('p1', 'pending')).toBeNull()
    expect(reopened.items('p2', 'approved')).toHaveLength(1)
  })

  it('ignores an unreadable cache file with a warning', () => {
    const store = new FakeStore()
    store.set(LIST_CACHE_KEY, { version: 1, profiles: { p1: { pending: { items: 'nope' } } } })
    const { cache, logger } = setup(store)
    expect(cache.items('p1', 'pending')).toBeNull()
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true)
  })
  it('shows a list cached by an older Keygate, with Classic fields at the top of each request', () => {
    const store = new FakeStore()
    const oldRequest = {
      id: 'r1',
      profileId: 'p1',
      approved: false,
      createdAt: at(1),
      developer: { id: 'dev-1', email: 'ana@example.com' },
      policies: [{ id: 'pol1', name: 'Gold' }],
      catalogue: null,
      catalogues: [],
      fields: {},
      legacy: true,
      version: 'v1',
      forApi: 'api-legacy',
      oauthRedirectUri: null,
      queued: null
    }
    store.set(LIST_CACHE_KEY, {
      version: 1,
      profiles: { p1: { pending: { fetchedAt: at(2), items: [oldRequest] } } }
    })
    const { cache, logger } = setup(store)
    const [shown] = cache.items('p1', 'pending') ?? []
    expect(shown?.details).toEqual({
      kind: 'tyk-classic',
      legacy: true,
      version: 'v1',
      forApi: 'api-legacy',
      oauthRedirectUri: null
    })
    expect(shown).not.toHaveProperty('forApi')
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([])
  })
})
