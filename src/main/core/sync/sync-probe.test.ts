import { testProfile } from '../../../shared/testing/profile'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../../emulator'
import type { Profile } from '../../../shared/domain'
import { createNodeTransport } from '../http/node-transport'
import { untilListening } from '../portal/test-dashboard'
import { createTykClassicClient } from '../portal/tyk-classic/tyk-classic-client'
import type { HttpTransport } from '../ports'
import { SyncService } from './sync-service'
import { FakeClock, settle } from '../testing/fake-clock'
import { fakeStores } from '../testing/fake-store'
import { RecordingLogger } from '../testing/recording-logger'
import { RecordingNotifier } from '../testing/recording-notifier'

const secret = 'sync-probe-secret'
const INTERVAL_MS = 60_000
const PROBE = 'GET /api/portal/requests?approved=false&p=1'
const FULL_READ = 'GET /api/portal/requests?approved=false&p=-1'

/**
 * Records every request the core sends, as `METHOD path?query`, and knows which are on the
 * wire, so a test can wait for a poll over real HTTP to finish while the poller runs on a
 * fake clock.
 */
function recordingTransport() {
  const inner = createNodeTransport()
  const inFlight = new Set<Promise<unknown>>()
  let calls: string[] = []
  const transport: HttpTransport = (request) => {
    const url = new URL(request.url)
    calls.push(`${request.method} ${url.pathname}${url.search}`)
    const response = inner(request)
    const tracked = response.catch(() => undefined)
    inFlight.add(tracked)
    void tracked.finally(() => inFlight.delete(tracked))
    return response
  }
  return {
    transport,
    /** The calls since the last `take()`. */
    take(): string[] {
      const taken = calls
      calls = []
      return taken
    },
    /** Resolves once no call is on the wire and none started in the turn after the last ended. */
    async idle(): Promise<void> {
      for (;;) {
        await settle()
        if (inFlight.size === 0) return
        await Promise.all(inFlight)
      }
    }
  }
}

/** Scheduled polls against the emulator over HTTP: page 1 as a change probe, full reads when due. */
describe('SyncService change probe against the emulator', () => {
  let emulator: RunningEmulator
  let profile: Profile

  beforeEach(async () => {
    // 25 pending: three pages of 10, so page 1 is a strict part of the list.
    emulator = await startEmulator({ port: 0, secret, seed: 11, seedPending: 25, seedApproved: 3 })
    profile = testProfile({
      id: 'prod',
      baseUrl: emulator.url,
      pollIntervalSec: INTERVAL_MS / 1000,
      secretStorage: 'session'
    })
  })

  afterEach(async () => {
    await emulator.close()
  })

  /** A started sync service; `restart()` opens a new one on the same stores. */
  async function open() {
    const clock = new FakeClock()
    const wire = recordingTransport()
    const { factory } = fakeStores()
    const notifier = new RecordingNotifier()
    const listChanges: string[][] = []
    // One client per profile, as the app's pool keeps: it remembers the paging mode and policies.
    const client = createTykClassicClient({
      profile,
      secret,
      transport: wire.transport,
      timeoutMs: 5000
    })
    const build = () =>
      new SyncService({
        stores: factory,
        clock,
        notifier,
        logger: new RecordingLogger(),
        clientFor: async () => client,
        getProfiles: () => [profile],
        onListsChanged: (profileIds) => listChanges.push(profileIds)
      })
    const t = {
      clock,
      wire,
      notifier,
      listChanges,
      sync: build(),
      /** Lets the clock reach the next scheduled poll and waits for it to finish. */
      async nextPoll(): Promise<string[]> {
        await clock.advance(INTERVAL_MS)
        await wire.idle()
        return wire.take()
      },
      pendingIds: () => t.sync.view(profile.id, 'pending').items.map((item) => item.id),
      async restart(): Promise<void> {
        await t.sync.stop()
        t.sync = build()
        t.sync.start()
        await clock.advance(0)
        await wire.idle()
      }
    }
    t.sync.start()
    await clock.advance(0)
    await wire.idle()
    expect(wire.take()).toContain(FULL_READ)
    expect(t.pendingIds().sort()).toEqual(emulator.control.requestIds({ approved: false }).sort())
    return t
  }

  it('makes only the probe call when nothing is new, and keeps the cached list', async () => {
    const t = await open()
    const before = t.sync.view(profile.id, 'pending')
    const apiCalls = emulator.control.stats().requests

    expect(await t.nextPoll()).toEqual([PROBE])
    expect(emulator.control.stats().requests).toBe(apiCalls + 1)
    const after = t.sync.view(profile.id, 'pending')
    expect(after.items).toEqual(before.items)
    expect(after.sources[0]).toMatchObject({
      stale: false,
      error: null,
      fetchedAt: before.sources[0]!.fetchedAt
    })
    expect(t.sync.connectivity(profile.id).state).toBe('online')
    expect(t.notifier.shown).toHaveLength(0)
    await t.sync.stop()
  })

  it('adds 5 new requests from the probe alone, as a full read would, and announces them once', async () => {
    const t = await open()
    const fetchedAt = t.sync.view(profile.id, 'pending').sources[0]!.fetchedAt
    const changes = t.listChanges.length
    const ids = emulator.control.generatePending(5)
    const apiCalls = emulator.control.stats().requests

    expect(await t.nextPoll()).toEqual([PROBE])
    expect(emulator.control.stats().requests).toBe(apiCalls + 1)
    expect(t.pendingIds().slice(0, 5).sort()).toEqual([...ids].sort())
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    expect(t.notifier.shown.map((n) => n.title)).toEqual(['5 new key requests on Production'])
    expect(t.listChanges).toHaveLength(changes + 1)
    const merged = t.sync.view(profile.id, 'pending')
    // Only page 1 was read: below it, the list is as old as its last full read.
    expect(merged.sources[0]).toMatchObject({ stale: false, error: null, fetchedAt })

    await t.sync.list({ profileId: profile.id, status: 'pending', refresh: true })
    expect(t.wire.take()).toEqual([FULL_READ])
    expect(t.sync.view(profile.id, 'pending').items).toEqual(merged.items)
    // The full read found every request as the merge left it: nothing to push.
    expect(t.listChanges).toHaveLength(changes + 1)

    expect(await t.nextPoll()).toEqual([PROBE])
    expect(t.notifier.shown).toHaveLength(1)
    await t.sync.stop()
  })

  it('announces requests added from the probe only once, across a restart', async () => {
    const t = await open()
    emulator.control.generatePending(2)
    expect(await t.nextPoll()).toEqual([PROBE])
    expect(t.notifier.shown).toHaveLength(1)

    await t.restart()
    expect(t.wire.take()).toContain(FULL_READ)
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    expect(await t.nextPoll()).toEqual([PROBE])
    expect(t.notifier.shown).toHaveLength(1)
    await t.sync.stop()
  })

  it('reads the whole list when page 1 is all new requests', async () => {
    const t = await open()
    for (const count of [10, 12]) {
      emulator.control.generatePending(count)
      expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
      expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    }
    expect(t.notifier.shown.map((n) => n.title)).toEqual([
      '10 new key requests on Production',
      '12 new key requests on Production'
    ])
    await t.sync.stop()
  })

  it('reads the whole list when a new request comes with a removal on page 1', async () => {
    const t = await open()
    const removed = emulator.control.requestIds({ approved: false })[2]!
    expect(emulator.control.deleteDirectly(removed)).toBe(true)
    const [added] = emulator.control.generatePending(1)

    // Still 25 pending, three pages: only the ids on page 1 show the removal.
    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
    expect(t.pendingIds()).not.toContain(removed)
    expect(t.pendingIds()[0]).toBe(added)
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    expect(t.notifier.shown.map((n) => n.title)).toEqual(['1 new key request on Production'])
    await t.sync.stop()
  })

  it('reads the whole list when a new request is listed below known ones', async () => {
    const t = await open()
    const [first, , third] = emulator.control.requestIds({ approved: false })
    const { id: _id, _id: _mongoId, ...copy } = emulator.control.getRequest(third!)!
    const between =
      (Date.parse(String(emulator.control.getRequest(first!)!.date_created)) +
        Date.parse(String(copy.date_created))) /
      2
    const [added] = emulator.control.insertRequests([
      { ...copy, date_created: new Date(between).toISOString() }
    ])

    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
    expect(t.pendingIds().indexOf(added!)).toBeGreaterThan(0)
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    expect(t.notifier.shown).toHaveLength(1)
    await t.sync.stop()
  })

  it('reads the whole list when Pages does not fit the new requests on top', async () => {
    const t = await open()
    for (const id of emulator.control.requestIds({ approved: false }).slice(-10)) {
      expect(emulator.control.deleteDirectly(id)).toBe(true)
    }
    emulator.control.generatePending(5)

    // Page 1 is 5 new, then the newest 5 cached; 20 pending are 2 pages, not the 3 of 25 + 5.
    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    await t.sync.stop()
  })

  it('adds new requests on top of requests created in the same instant, listed in either order', async () => {
    const t = await open()
    const [newest] = emulator.control.requestIds({ approved: false })
    const { id: _id, _id: _mongoId, ...copy } = emulator.control.getRequest(newest!)!
    // The Dashboard lists this twin before the request it shares its date_created with.
    const [twin] = emulator.control.insertRequests([copy])
    expect(await t.nextPoll()).toEqual([PROBE])
    expect(t.pendingIds().slice(0, 2).sort()).toEqual([newest, twin].sort())

    expect(await t.nextPoll()).toEqual([PROBE])
    const ids = emulator.control.generatePending(2)
    expect(await t.nextPoll()).toEqual([PROBE])
    expect(t.pendingIds().slice(0, 2).sort()).toEqual([...ids].sort())
    expect(t.pendingIds().sort()).toEqual(emulator.control.requestIds({ approved: false }).sort())
    expect(t.notifier.shown.map((n) => n.title)).toEqual([
      '1 new key request on Production',
      '2 new key requests on Production'
    ])
    await t.sync.stop()
  })

  it('reads the whole list when a request among the newest was approved by another admin', async () => {
    const t = await open()
    const [newest] = emulator.control.requestIds({ approved: false })
    expect(emulator.control.approveDirectly(newest!).status).toBe(200)

    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
    expect(t.pendingIds()).not.toContain(newest)
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    await t.sync.stop()
  })

  it('picks up a rival removal on a later page at the periodic full read', async () => {
    const t = await open()
    const oldest = emulator.control.requestIds({ approved: false }).at(-1)!
    expect(emulator.control.deleteDirectly(oldest)).toBe(true)

    // 24 pending are still three pages, and page 1 did not change: the probes cannot see it.
    for (let poll = 1; poll <= 4; poll += 1) {
      expect(await t.nextPoll()).toEqual([PROBE])
      expect(t.pendingIds()).toContain(oldest)
    }
    expect(await t.nextPoll()).toEqual([FULL_READ])
    expect(t.pendingIds()).not.toContain(oldest)
    expect(t.pendingIds()).toEqual(emulator.control.requestIds({ approved: false }))
    expect(t.notifier.shown).toHaveLength(0)
    await t.sync.stop()
  })

  it('reads the whole list at every poll from a Dashboard that lists oldest first', async () => {
    emulator.control.setSwitches({ sortOrder: 'oldest-first' })
    const t = await open()
    const oldest = emulator.control.requestIds({ approved: false }).at(0)!
    expect(emulator.control.deleteDirectly(oldest)).toBe(true)

    // Page 1 never matches the cache's newest, so the probe cannot hide a change: it costs a read.
    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
    expect(t.pendingIds()).not.toContain(oldest)
    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])

    const added = emulator.control.generatePending(5)
    expect(await t.nextPoll()).toEqual([PROBE, FULL_READ])
    expect(t.pendingIds().slice(0, 5).sort()).toEqual([...added].sort())
    expect(t.notifier.shown.map((n) => n.title)).toEqual(['5 new key requests on Production'])
    await t.sync.stop()
  })

  it('reads the whole list on focus, on refresh and after a change of our own', async () => {
    const t = await open()
    expect(await t.nextPoll()).toEqual([PROBE])

    await t.clock.advance(20_000)
    t.sync.windowFocused()
    await t.clock.advance(1000)
    await t.wire.idle()
    expect(t.wire.take()).toEqual([FULL_READ])

    await t.sync.list({ profileId: profile.id, status: 'pending', refresh: true })
    expect(t.wire.take()).toEqual([FULL_READ])

    t.sync.changedOnPortal(profile.id)
    await t.clock.advance(1000)
    await t.wire.idle()
    expect(t.wire.take()).toEqual([FULL_READ])
    await t.sync.stop()
  })

  it('records a failed probe as offline, and reads the whole list once the portal is back', async () => {
    const t = await open()
    emulator.control.setFaults({ offline: true })
    expect(await t.nextPoll()).toEqual([PROBE])
    expect(t.sync.connectivity(profile.id).state).toBe('offline')
    expect(t.sync.view(profile.id, 'pending').sources[0]).toMatchObject({
      stale: true,
      error: { code: 'OFFLINE' }
    })

    emulator.control.clearFaults()
    await untilListening(emulator.port)
    const [added] = emulator.control.generatePending(1)
    // One failure doubles the wait.
    await t.clock.advance(INTERVAL_MS)
    expect(await t.nextPoll()).toEqual([FULL_READ])
    expect(t.sync.connectivity(profile.id).state).toBe('online')
    expect(t.pendingIds()[0]).toBe(added)
    expect(t.notifier.shown.map((n) => n.title)).toEqual(['1 new key request on Production'])
    await t.sync.stop()
  })
})
