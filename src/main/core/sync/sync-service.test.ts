import { describe, expect, it } from 'vitest'
import type { Connectivity, Profile } from '../../../shared/domain'
import { CACHE_STORE, SEEN_STORE, SyncService } from './sync-service'
import { FakeClock, settle } from '../testing/fake-clock'
import { FakePortal, testRequestDetail } from '../testing/fake-portal'
import { fakeStores } from '../testing/fake-store'
import { RecordingLogger } from '../testing/recording-logger'
import { RecordingNotifier } from '../testing/recording-notifier'
import { testProfile } from '../../../shared/testing/profile'

function profile(id: string, overrides: Partial<Profile> = {}): Profile {
  return testProfile({
    id,
    name: id === 'p1' ? 'Production' : `Portal ${id}`,
    baseUrl: `https://${id}.example.com`,
    ...overrides
  })
}

/** A sync service over fake portals; `restart()` builds a new one on the same stores. */
function setup(profiles: Profile[] = [profile('p1')]) {
  const clock = new FakeClock()
  const { factory, stores } = fakeStores()
  const portals = new Map(
    profiles.map((p) => [p.id, new FakePortal(p.id, {}, null, { answerInSameTurn: true })])
  )
  const notifier = new RecordingNotifier()
  const events = {
    lists: [] as string[][],
    connectivity: [] as { profileId: string; connectivity: Connectivity }[],
    clicks: [] as string[]
  }
  const state = { profiles }
  const build = () =>
    new SyncService({
      stores: factory,
      clock,
      notifier,
      logger: new RecordingLogger(),
      clientFor: async (id) => portals.get(id)!,
      getProfiles: () => state.profiles,
      onListsChanged: (ids) => events.lists.push(ids),
      onConnectivity: (profileId, connectivity) =>
        events.connectivity.push({ profileId, connectivity }),
      onNotificationClick: (profileId, requestId) => events.clicks.push(`${profileId}/${requestId}`)
    })
  return {
    clock,
    stores,
    notifier,
    events,
    state,
    portal: (id = 'p1') => portals.get(id)!,
    sync: build(),
    restart: build
  }
}

describe('SyncService', () => {
  it('seeds the first poll silently, then announces new requests in one notification', async () => {
    const t = setup()
    t.portal().add(testRequestDetail('p1'), testRequestDetail('p1'))
    t.sync.start()
    await t.clock.advance(0)
    expect(t.sync.pendingCount('p1')).toBe(2)
    expect(t.notifier.shown).toHaveLength(0)

    const fresh = [1, 2, 3].map((n) =>
      testRequestDetail('p1', {
        createdAt: new Date(Date.UTC(2026, 5, 1, 10, n)).toISOString(),
        developer: { id: `d${n}`, email: `new${n}@acme.io` }
      })
    )
    t.portal().add(...fresh)
    await t.clock.advance(60_000)
    expect(t.notifier.shown).toHaveLength(1)
    expect(t.notifier.shown[0]!.title).toBe('3 new key requests on Production')
    expect(t.notifier.shown[0]!.body).toMatch(/^new3@acme\.io — API \d+\nnew2@acme\.io/)
    t.notifier.shown[0]!.onClick()
    expect(t.events.clicks).toEqual([`p1/${fresh[2]!.id}`])

    await t.clock.advance(60_000)
    expect(t.notifier.shown).toHaveLength(1)
  })

  it('does not announce again after a restart on the same stores', async () => {
    const t = setup()
    t.portal().add(testRequestDetail('p1'))
    t.sync.start()
    await t.clock.advance(0)
    t.portal().add(testRequestDetail('p1'))
    await t.clock.advance(60_000)
    expect(t.notifier.shown).toHaveLength(1)
    await t.sync.stop()

    const again = t.restart()
    again.start()
    await t.clock.advance(0)
    expect(t.portal().listed.pending).toBe(3)
    expect(t.notifier.shown).toHaveLength(1)
    t.portal().add(testRequestDetail('p1'))
    await t.clock.advance(60_000)
    expect(t.notifier.shown.map((n) => n.title)).toEqual([
      '1 new key request on Production',
      '1 new key request on Production'
    ])
    await again.stop()
  })

  it('respects notifications off per profile without flooding when turned back on', async () => {
    const t = setup([profile('p1', { notifications: false }), profile('p2')])
    t.sync.start()
    await t.clock.advance(0)
    t.portal('p1').add(testRequestDetail('p1'), testRequestDetail('p1'))
    t.portal('p2').add(testRequestDetail('p2'))
    await t.clock.advance(60_000)
    expect(t.notifier.shown.map((n) => n.title)).toEqual(['1 new key request on Portal p2'])

    t.state.profiles = [profile('p1'), profile('p2')]
    await t.clock.advance(60_000)
    expect(t.notifier.shown).toHaveLength(1)
    await t.sync.stop()
  })

  it('shows the cached list as stale while offline, backs off, and refreshes at once on reconnect', async () => {
    const t = setup()
    t.portal().add(testRequestDetail('p1'), testRequestDetail('p1'))
    t.sync.start()
    await t.clock.advance(0)
    const fetchedAt = t.sync.view('p1', 'pending').sources[0]!.fetchedAt

    t.portal().inject('listRequests', 'offline', { times: Infinity })
    await t.clock.advance(60_000)
    const view = t.sync.view('p1', 'pending')
    expect(view.items).toHaveLength(2)
    expect(view.sources[0]).toMatchObject({ stale: true, fetchedAt, error: { code: 'OFFLINE' } })
    expect(t.sync.connectivity('p1').state).toBe('offline')
    expect(t.events.connectivity.map((e) => e.connectivity.state)).toEqual(['online', 'offline'])

    await t.clock.advance(120_000)
    expect(t.portal().listed.pending).toBe(3)
    await t.clock.advance(200_000)
    expect(t.portal().listed.pending).toBe(3)

    t.portal().heal()
    t.portal().add(testRequestDetail('p1'))
    t.sync.recordOutcome('p1', null)
    await settle()
    expect(t.portal().listed.pending).toBe(4)
    expect(t.sync.view('p1', 'pending').sources[0]!.stale).toBe(false)
    expect(t.sync.pendingCount('p1')).toBe(3)
    await t.sync.stop()
  })

  it('shows an unexpected fetch failure as the generic internal error, its detail only in the log', async () => {
    const t = setup()
    const logger = new RecordingLogger()
    const sync = new SyncService({
      stores: fakeStores().factory,
      clock: t.clock,
      notifier: t.notifier,
      logger,
      clientFor: () => Promise.reject(new Error('EACCES: /home/admin/.config/keygate/cache.json')),
      getProfiles: () => t.state.profiles
    })
    await sync.refresh('p1', 'pending')
    const { error } = sync.view('p1', 'pending').sources[0]!
    expect(error).toMatchObject({ code: 'INTERNAL', retryable: false })
    expect(error!.message).not.toContain('/home/admin')
    expect(error!.message).toMatch(/check the log/)
    const logged = logger.lines.find((line) => line.message === 'List fetch failed')
    expect(String(logged?.data?.error)).toContain('EACCES: /home/admin/.config/keygate/cache.json')
    await sync.stop()
  })

  it('tells when a portal answers again after being unreachable, and only then', async () => {
    const reconnected: string[] = []
    const t = setup()
    const sync = new SyncService({
      stores: fakeStores().factory,
      clock: t.clock,
      notifier: t.notifier,
      logger: new RecordingLogger(),
      clientFor: async (id) => t.portal(id),
      getProfiles: () => t.state.profiles,
      onReconnected: (profileId) => reconnected.push(profileId)
    })
    sync.recordOutcome('p1', null)
    sync.recordOutcome('p1', { code: 'OFFLINE', message: 'Portal unreachable', retryable: true })
    sync.recordOutcome('p1', { code: 'TIMEOUT', message: 'Timed out', retryable: true })
    expect(reconnected).toEqual([])
    sync.recordOutcome('p1', null)
    sync.recordOutcome('p1', null)
    expect(reconnected).toEqual(['p1'])
    sync.recordOutcome('p1', { code: 'AUTH_REJECTED', message: 'Rejected', retryable: false })
    sync.recordOutcome('p1', null)
    expect(reconnected).toEqual(['p1', 'p1'])
    await sync.stop()
  })

  it('refreshes the pending list shortly after Keygate changed requests on the portal', async () => {
    const t = setup()
    const last = testRequestDetail('p1')
    t.portal().add(testRequestDetail('p1'), last)
    t.sync.start()
    await t.clock.advance(0)
    expect(t.portal().listed.pending).toBe(1)
    t.portal().remove(last.id)
    t.sync.changedOnPortal('p1')
    t.sync.changedOnPortal('p1')
    await t.clock.advance(1000)
    expect(t.portal().listed.pending).toBe(2)
    expect(t.sync.pendingCount('p1')).toBe(1)
    expect(t.events.lists).toEqual([['p1'], ['p1']])
    await t.sync.stop()
  })

  it('feeds outbox outcomes into connectivity', async () => {
    const t = setup()
    t.sync.recordOutcome('p1', {
      code: 'AUTH_REJECTED',
      message: 'API secret rejected (401)',
      retryable: false
    })
    expect(t.sync.connectivity('p1')).toMatchObject({
      state: 'auth-problem',
      lastError: { code: 'AUTH_REJECTED' }
    })
    expect(t.events.connectivity).toHaveLength(1)
  })

  it('never rewrites the cache when a poll finds the same list', async () => {
    const t = setup()
    const last = testRequestDetail('p1')
    t.portal().add(testRequestDetail('p1'), last)
    t.sync.start()
    await t.clock.advance(30_000)
    const cache = t.stores.get(CACHE_STORE)!
    const seen = t.stores.get(SEEN_STORE)!
    expect([cache.writes, seen.writes]).toEqual([1, 1])
    await t.clock.advance(10 * 60_000)
    expect(t.portal().listed.pending).toBe(11)
    expect([cache.writes, seen.writes]).toEqual([1, 1])
    expect(t.events.lists).toEqual([['p1']])

    t.portal().remove(last.id)
    await t.clock.advance(65_000)
    expect([cache.writes, seen.writes]).toEqual([2, 1])
    expect(t.events.lists).toEqual([['p1'], ['p1']])
    await t.sync.stop()
  })

  it('merges profiles into one inbox and overlays queued actions', async () => {
    const t = setup([profile('p1'), profile('p2')])
    const a = testRequestDetail('p1', { createdAt: '2026-01-02T00:00:00.000Z' })
    const b = testRequestDetail('p2', { createdAt: '2026-01-03T00:00:00.000Z' })
    t.portal('p1').add(a)
    t.portal('p2').add(b)
    const queued = { opId: 'op1', kind: 'decline' as const, state: 'queued' as const }
    const view = await t.sync.list({ status: 'pending' }, (profileId, requestId) =>
      profileId === 'p1' && requestId === a.id ? queued : null
    )
    expect(view.items.map((i) => [i.profileId, i.id, i.queued])).toEqual([
      ['p2', b.id, null],
      ['p1', a.id, queued]
    ])
    expect(view.sources.map((s) => s.profileId)).toEqual(['p1', 'p2'])
    expect(t.sync.totalPending()).toBe(2)
  })

  it('fetches approved lists on demand only, once at a time', async () => {
    const t = setup()
    t.portal().add(testRequestDetail('p1', { approved: true }))
    t.sync.start()
    await t.clock.advance(0)
    expect(t.portal().listed.approved).toBe(0)
    const release = t.portal().hold('listRequests', null)
    const first = t.sync.list({ profileId: 'p1', status: 'approved' })
    const second = t.sync.list({ profileId: 'p1', status: 'approved', refresh: true })
    await settle()
    release()
    const [view] = await Promise.all([first, second])
    expect(view.items).toHaveLength(1)
    expect(t.portal().listed.approved).toBe(1)
    await t.sync.list({ profileId: 'p1', status: 'approved' })
    expect(t.portal().listed.approved).toBe(1)
    await t.sync.list({ profileId: 'p1', status: 'approved', refresh: true })
    expect(t.portal().listed.approved).toBe(2)
    await t.sync.stop()
  })

  it('a manual refresh joins a running poll instead of overlapping it', async () => {
    const t = setup()
    const release = t.portal().hold('listRequests', null)
    t.sync.start()
    await settle()
    const refresh = t.sync.refresh('p1', 'pending')
    t.sync.windowFocused()
    await t.clock.advance(30_000)
    release()
    await refresh
    expect(t.portal().listed.pending).toBe(1)
    expect(t.portal().maxInFlight).toBe(1)
    await t.sync.stop()
  })

  it('drops the cache and seen-set of a removed profile', async () => {
    const t = setup([profile('p1'), profile('p2')])
    t.portal('p1').add(testRequestDetail('p1'))
    t.sync.start()
    await t.clock.advance(0)
    t.state.profiles = [profile('p2')]
    t.sync.profileRemoved('p1')
    await t.sync.stop()
    const again = t.restart()
    expect(again.pendingCount('p1')).toBeNull()
    t.state.profiles = [profile('p1'), profile('p2')]
    again.start()
    t.portal('p1').add(testRequestDetail('p1'))
    await t.clock.advance(0)
    expect(again.pendingCount('p1')).toBe(2)
    expect(t.notifier.shown).toHaveLength(0)
    await again.stop()
  })

  it('notifies replay problems under the profile name', () => {
    const t = setup()
    const shown = t.sync.notifyReplayProblems('p1', [
      {
        opId: 'op1',
        profileId: 'p1',
        requestId: 'r9',
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
        sendAfter: null
      }
    ])
    expect(shown).toBe(true)
    expect(t.notifier.shown[0]!.title).toBe('1 queued action on Production needs attention')
    t.notifier.shown[0]!.onClick()
    expect(t.events.clicks).toEqual(['p1/r9'])
  })
})
