import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { testProfile } from '../../../shared/testing/profile'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../../emulator'
import type { Profile } from '../../../shared/domain'
import { createNodeTransport } from '../http/node-transport'
import { createTykClassicClient } from '../portal/tyk-classic/tyk-classic-client'
import { systemClock } from '../ports'
import { createConfStoreFactory } from '../storage/conf-store'
import { SyncService, type SyncServiceOptions } from './sync-service'
import { RecordingLogger } from '../testing/recording-logger'
import { RecordingNotifier } from '../testing/recording-notifier'

const secret = 'sync-integration-secret'

/** The real core path: conf store files, node transport, Tyk Classic client, emulator over HTTP. */
describe('SyncService against the emulator', () => {
  let emulator: RunningEmulator
  let dir: string
  let profile: Profile

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, secret, seed: 7, seedPending: 12, seedApproved: 4 })
    dir = await mkdtemp(path.join(tmpdir(), 'keygate-sync-'))
    profile = testProfile({
      id: 'prod',
      baseUrl: emulator.url,
      pollIntervalSec: 60,
      secretStorage: 'session'
    })
  })

  afterEach(async () => {
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** A new service on fresh store handles over the same directory: what a restart sees. */
  function open(overrides: Partial<SyncServiceOptions> = {}) {
    const transport = createNodeTransport()
    const notifier = new RecordingNotifier()
    const clicks: { profileId: string; requestId: string }[] = []
    const sync = new SyncService({
      stores: createConfStoreFactory(dir),
      clock: systemClock,
      notifier,
      logger: new RecordingLogger(),
      clientFor: async () =>
        createTykClassicClient({
          profile: {
            id: profile.id,
            baseUrl: profile.baseUrl,
            customCa: null,
            pinnedSha256: null
          },
          secret,
          transport,
          timeoutMs: 5000
        }),
      getProfiles: () => [profile],
      onNotificationClick: (profileId, requestId) => clicks.push({ profileId, requestId }),
      ...overrides
    })
    return { sync, notifier, clicks }
  }

  it('caches a poll on disk, serves it stale while the portal is offline, and fresh once it is back', async () => {
    const first = open()
    await first.sync.refresh(profile.id, 'pending')
    const live = first.sync.view(profile.id, 'pending')
    expect(live.items).toHaveLength(12)
    expect(live.sources[0]).toMatchObject({ stale: false, error: null })
    expect(first.sync.connectivity(profile.id).state).toBe('online')
    await first.sync.stop()

    const file = JSON.parse(await readFile(path.join(dir, 'cache.json'), 'utf8'))
    const onDisk = file.lists.profiles[profile.id].pending
    expect(onDisk.fetchedAt).toBe(live.sources[0]!.fetchedAt)
    expect(onDisk.items.map((i: { id: string }) => i.id)).toEqual(live.items.map((i) => i.id))
    expect(onDisk.items[0]).not.toHaveProperty('raw')

    emulator.control.setFaults({ offline: true })
    const second = open()
    expect(second.sync.view(profile.id, 'pending').items).toHaveLength(12)
    await second.sync.refresh(profile.id, 'pending')
    const offline = second.sync.view(profile.id, 'pending')
    expect(offline.items.map((i) => i.id)).toEqual(live.items.map((i) => i.id))
    expect(offline.sources[0]).toMatchObject({
      stale: true,
      fetchedAt: live.sources[0]!.fetchedAt,
      error: { code: 'OFFLINE' }
    })
    expect(second.sync.connectivity(profile.id)).toMatchObject({
      state: 'offline',
      lastError: { code: 'OFFLINE' }
    })

    emulator.control.clearFaults()
    const added = emulator.control.generatePending(1)
    await second.sync.refresh(profile.id, 'pending')
    const back = second.sync.view(profile.id, 'pending')
    expect(back.sources[0]).toMatchObject({ stale: false, error: null })
    expect(back.items.map((i) => i.id)).toContain(added[0])
    expect(second.sync.connectivity(profile.id).state).toBe('online')
    expect(second.notifier.shown.map((n) => n.title)).toEqual(['1 new key request on Production'])
    await second.sync.stop()
  })

  it('announces requests generated on the portal in exactly one notification', async () => {
    const { sync, notifier, clicks } = open()
    await sync.refresh(profile.id, 'pending')
    expect(notifier.shown).toHaveLength(0)

    const ids = emulator.control.generatePending(3)
    await sync.refresh(profile.id, 'pending')
    expect(notifier.shown).toHaveLength(1)
    const [shown] = notifier.shown
    expect(shown!.title).toBe('3 new key requests on Production')
    const view = sync.view(profile.id, 'pending')
    const fresh = view.items.filter((item) => ids.includes(item.id))
    expect(fresh).toHaveLength(3)
    for (const item of fresh) expect(shown!.body).toContain(item.developer.email!)

    shown!.onClick()
    expect(clicks).toEqual([{ profileId: profile.id, requestId: view.items[0]!.id }])
    expect(ids).toContain(view.items[0]!.id)

    await sync.refresh(profile.id, 'pending')
    expect(notifier.shown).toHaveLength(1)
    await sync.stop()
  })

  it('fetches the approved history on demand', async () => {
    const { sync } = open()
    const view = await sync.list({ profileId: profile.id, status: 'approved' })
    expect(view.items).toHaveLength(4)
    expect(view.items.every((item) => item.approved)).toBe(true)
    await sync.stop()
  })
})
