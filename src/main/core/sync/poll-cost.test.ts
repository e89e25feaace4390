import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Profile, RequestDetail } from '../../../shared/domain'
import type { PortalClient } from '../portal/portal-client'
import { createConfStoreFactory } from '../storage/conf-store'
import { ListCache } from './list-cache'
import { SyncService } from './sync-service'
import { FakeClock } from '../testing/fake-clock'
import { testRequestDetail } from '../testing/fake-portal'
import { RecordingLogger } from '../testing/recording-logger'
import { RecordingNotifier } from '../testing/recording-notifier'
import { testProfile } from '../../../shared/testing/profile'

const PENDING = 10_000
const NEW_PER_POLL = 5
const ROUNDS = 9

const profile: Profile = testProfile({ id: 'big' })

/** A fresh copy of every item, as a new parse of the Dashboard's answer would give. */
const reparsed = (items: readonly RequestDetail[]): RequestDetail[] =>
  items.map((item) => structuredClone(item))

function cpuMs(fn: () => void): number
function cpuMs(fn: () => Promise<void>): Promise<number>
function cpuMs(fn: () => void | Promise<void>): number | Promise<number> {
  const before = process.cpuUsage()
  const total = () => {
    const used = process.cpuUsage(before)
    return (used.user + used.system) / 1000
  }
  const result = fn()
  return result instanceof Promise ? result.then(total) : total()
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

describe('poll cost at 10,000 pending (measured, printed, not asserted)', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it('diffs and caches a poll with 5 new requests; the store write follows, coalesced', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'keygate-poll-cost-'))
    dirs.push(dir)
    const clock = new FakeClock()
    const stores = createConfStoreFactory(dir)
    const notifier = new RecordingNotifier()
    let answer: RequestDetail[] = []
    const client = { listRequests: async () => answer } as unknown as PortalClient
    const sync = new SyncService({
      stores,
      clock,
      notifier,
      logger: new RecordingLogger(),
      clientFor: async () => client,
      getProfiles: () => [profile]
    })
    let current = Array.from({ length: PENDING }, () => testRequestDetail(profile.id))

    answer = reparsed(current)
    await sync.refresh(profile.id, 'pending')
    await clock.advance(30_000)
    expect(sync.pendingCount(profile.id)).toBe(PENDING)

    const unchanged: number[] = []
    const withNew: number[] = []
    const writes: number[] = []
    for (let round = 0; round < ROUNDS; round += 1) {
      answer = reparsed(current)
      unchanged.push(await cpuMs(() => sync.refresh(profile.id, 'pending')))

      const added = Array.from({ length: NEW_PER_POLL }, () => testRequestDetail(profile.id))
      current = [...added.reverse(), ...current]
      answer = reparsed(current)
      withNew.push(await cpuMs(() => sync.refresh(profile.id, 'pending')))
      expect(notifier.shown).toHaveLength(round + 1)
      expect(notifier.shown[round]!.title).toBe('5 new key requests on Production')

      writes.push(await cpuMs(() => clock.advance(30_000)))
    }
    await sync.stop()

    const started = new FakeClock()
    const loadMs = cpuMs(() => {
      new ListCache({ store: stores('cache'), clock: started, logger: new RecordingLogger() })
    })
    const cacheBytes = (await stat(path.join(dir, 'cache.json'))).size
    const seenBytes = (await stat(path.join(dir, 'seen.json'))).size

    console.log(
      JSON.stringify({
        bench: 'poll-diff',
        pending: PENDING,
        newPerPoll: NEW_PER_POLL,
        rounds: ROUNDS,
        cpuMsMedian: {
          pollUnchanged: median(unchanged),
          pollWith5New: median(withNew),
          deferredStoreWrite: median(writes),
          cacheLoadAtStart: loadMs
        },
        cpuMsAll: { pollUnchanged: unchanged, pollWith5New: withNew, deferredStoreWrite: writes },
        fileBytes: { cache: cacheBytes, seen: seenBytes },
        target: 'poll core CPU < 20 ms'
      })
    )
  })
})
