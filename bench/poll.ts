/**
 * Polling cost at 10,000 pending requests: the core's CPU per poll (process.cpuUsage, the
 * emulator runs in its own process), bytes read, bytes allocated (from V8's GC statistics), and
 * reading the list with `p=-1` against paging by 10. Three kinds of poll: a full read with 5 new
 * requests (the first poll, refresh, focus, every 5th scheduled poll), a scheduled poll with
 * nothing new (page 1 as a change probe, nothing else), and a scheduled poll whose probe finds 5
 * new requests on top (added from page 1, no full read). Scheduled polls run on a fake clock, so
 * the deferred store writes happen between polls and are not billed to them.
 * Run: node --expose-gc --import tsx bench/poll.ts [--pending 10000] [--rounds 7] [--latency 20]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import v8 from 'node:v8'
import { createNodeTransport } from '../src/main/core/http/node-transport'
import type { PortalClient } from '../src/main/core/portal/portal-client'
import type { RequestDetail } from '../src/shared/domain'
import { createConfStoreFactory } from '../src/main/core/storage/conf-store'
import { SyncService } from '../src/main/core/sync/sync-service'
import { FakeClock } from '../src/main/core/testing/fake-clock'
import { countingTransport, ignoringAllPages } from './support/counting-transport'
import { startEmulatorProcess } from './support/emulator-process'
import { flag } from './support/flags'
import { clientFor, profileFor } from './support/profiles'
import { countingNotifier, quietLogger } from './support/quiet'
import { figure, progress, runBench, startReport } from './support/report'
import { megabytes, median, round, summarize, withCpu } from './support/stats'

const BENCH = 'poll'
const pending = flag('pending', 10_000)
const rounds = flag('rounds', 7)
const latencyMs = flag('latency', 20)
const NEW_PER_POLL = 5
/** The poller's default: every 5th scheduled poll reads the whole list. */
const FULL_READ_EVERY = 5

/**
 * A full GC, then a pause for V8's concurrent sweeping to finish: process.cpuUsage counts every
 * thread, so garbage left by the previous step must not be billed to the next one.
 */
async function collect(): Promise<void> {
  ;(globalThis as { gc?: () => void }).gc?.()
  await sleep(250)
}

/**
 * Bytes allocated on the V8 heap while `task` runs: the growth of the used heap plus what every
 * GC in between freed. Off-heap buffers (socket chunks) are not counted.
 */
async function allocatedBy<T>(task: () => Promise<T>): Promise<{ bytes: number; value: T }> {
  await collect()
  const profiler = new v8.GCProfiler()
  const before = v8.getHeapStatistics().used_heap_size
  profiler.start()
  const value = await task()
  const after = v8.getHeapStatistics().used_heap_size
  const result = profiler.stop()
  let freed = 0
  for (const gc of result?.statistics ?? []) {
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
  }
  return { bytes: after - before + freed, value }
}

/**
 * The client, with the CPU and wall time of its list reads recorded (fetch, parse, validate),
 * and its calls on the wire known, so a poll fired by the fake clock can be awaited.
 */
function timedClient(client: PortalClient): {
  client: PortalClient
  last: () => { cpuMs: number; wallMs: number }
  idle: () => Promise<void>
} {
  let last = { cpuMs: 0, wallMs: 0 }
  const inFlight = new Set<Promise<unknown>>()
  const track = <T>(call: Promise<T>): Promise<T> => {
    const settled: Promise<void> = call.then(
      () => void inFlight.delete(settled),
      () => void inFlight.delete(settled)
    )
    inFlight.add(settled)
    return call
  }
  const timed: PortalClient = Object.create(client) as PortalClient
  timed.listRequests = (status) =>
    track(
      (async () => {
        const start = performance.now()
        const { cpuMs, value } = await withCpu(() => client.listRequests(status))
        last = { cpuMs, wallMs: performance.now() - start }
        return value
      })()
    )
  timed.firstPage = (status) => track(client.firstPage!(status))
  // A probe that finds a change starts the full read before the next macrotask.
  const idle = async () => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve))
      if (inFlight.size === 0) return
      await Promise.all(inFlight)
    }
  }
  return { client: timed, last: () => last, idle }
}

async function main(): Promise<void> {
  const report = startReport(BENCH)
  const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function'
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-bench-poll-'))
  progress(BENCH, `starting an emulator (latency ${latencyMs} ms) with ${pending} pending`)
  const emulator = await startEmulatorProcess({
    secret: 'bench-poll-secret',
    seed: 301,
    faults: { latencyMs }
  })
  try {
    await emulator.generate(pending)
    const profile = profileFor(emulator, 0)
    const counting = countingTransport(createNodeTransport())
    const timed = timedClient(clientFor(profile, emulator, counting.transport))
    const notifier = countingNotifier()
    let source: PortalClient = timed.client
    const clock = new FakeClock()
    const sync = new SyncService({
      stores: createConfStoreFactory(dir),
      clock,
      notifier,
      logger: quietLogger,
      clientFor: async () => source,
      getProfiles: () => [profile],
      // Every scheduled poll may probe, so each one measured is the case named; the figure at
      // the defaults is worked out from the two below.
      polling: { fullReadEvery: Number.MAX_SAFE_INTEGER, fullReadMaxAgeMs: Number.MAX_SAFE_INTEGER }
    })
    /** A full read: what refresh, focus, the first poll and every 5th scheduled poll do. */
    const poll = () => sync.refresh(profile.id, 'pending')
    const intervalMs = profile.pollIntervalSec * 1000
    /** Up to the next scheduled poll, firing the deferred store writes due before it. */
    const untilNextPoll = async () => {
      await clock.advance(intervalMs - 1)
      await collect()
    }
    const scheduledPoll = async () => {
      await clock.advance(1)
      await timed.idle()
    }

    progress(BENCH, 'first poll (detects paging, reads policies, fills the cache)')
    const firstStart = performance.now()
    const first = await withCpu(async () => {
      sync.start()
      await poll()
    })
    const firstPoll = {
      wallMs: round(performance.now() - firstStart),
      cpuMs: round(first.cpuMs),
      ...counting.counts()
    }
    if (sync.pendingCount(profile.id) !== pending) {
      throw new Error(
        `expected ${pending} pending after the first poll, got ${sync.pendingCount(profile.id)}`
      )
    }
    await collect()
    const heapAfterFirst = v8.getHeapStatistics().used_heap_size

    progress(BENCH, `${rounds} polls with ${NEW_PER_POLL} new requests each`)
    const samples: {
      cpuMs: number
      fetchCpuMs: number
      diffCpuMs: number
      wallMs: number
      requests: number
      bytesRead: number
    }[] = []
    for (let round = 0; round < rounds; round++) {
      await emulator.generate(NEW_PER_POLL)
      await collect()
      counting.reset()
      const start = performance.now()
      const { cpuMs } = await withCpu(poll)
      const wallMs = performance.now() - start
      const fetch = timed.last()
      const { requests, bytesRead } = counting.counts()
      samples.push({
        cpuMs,
        fetchCpuMs: fetch.cpuMs,
        diffCpuMs: cpuMs - fetch.cpuMs,
        wallMs,
        requests,
        bytesRead
      })
    }
    let expected = pending + rounds * NEW_PER_POLL
    if (sync.pendingCount(profile.id) !== expected) {
      throw new Error(`expected ${expected} pending, got ${sync.pendingCount(profile.id)}`)
    }

    progress(BENCH, `${rounds} scheduled polls with nothing new, then ${rounds} with 5 new`)
    const probes: ScheduledSample[] = []
    const probesFindingNew: ScheduledSample[] = []
    for (const [samples, added] of [
      [probes, 0],
      [probesFindingNew, NEW_PER_POLL]
    ] as const) {
      for (let round = 0; round < rounds; round++) {
        await untilNextPoll()
        if (added > 0) await emulator.generate(added)
        const shownBefore = notifier.shown
        counting.reset()
        const { cpuMs } = await withCpu(scheduledPoll)
        const { requests, bytesRead } = counting.counts()
        samples.push({ cpuMs, requests, bytesRead, notified: notifier.shown - shownBefore })
      }
    }
    expected += rounds * NEW_PER_POLL
    if (sync.pendingCount(profile.id) !== expected) {
      throw new Error(`expected ${expected} pending, got ${sync.pendingCount(profile.id)}`)
    }
    if (probes.some((s) => s.requests !== 1 || s.notified !== 0)) {
      throw new Error('a scheduled poll with nothing new made more than the probe call')
    }
    if (probesFindingNew.some((s) => s.requests !== 1 || s.notified !== 1)) {
      throw new Error(
        'a scheduled poll with 5 new made more than the probe call or did not notify once'
      )
    }

    progress(BENCH, 'the sync diff alone, on lists read beforehand')
    const diffAlone: number[] = []
    for (let round = 0; round < rounds; round++) {
      await emulator.generate(NEW_PER_POLL)
      diffAlone.push(
        await replayedPollCpu(
          timed.client,
          (client) => {
            source = client
          },
          poll
        )
      )
    }
    if (sync.pendingCount(profile.id) !== expected + rounds * NEW_PER_POLL) {
      throw new Error(`the replayed polls left ${sync.pendingCount(profile.id)} pending`)
    }

    progress(BENCH, 'allocations per poll')
    const allocations: number[] = []
    for (let round = 0; round < 3; round++) {
      await emulator.generate(NEW_PER_POLL)
      allocations.push((await allocatedBy(poll)).bytes)
    }
    const probeAllocations: number[] = []
    const mergeAllocations: number[] = []
    for (const [samples, added] of [
      [probeAllocations, 0],
      [mergeAllocations, NEW_PER_POLL]
    ] as const) {
      for (let round = 0; round < 3; round++) {
        await untilNextPoll()
        if (added > 0) await emulator.generate(added)
        samples.push((await allocatedBy(scheduledPoll)).bytes)
      }
    }
    await collect()
    const retainedGrowth = v8.getHeapStatistics().used_heap_size - heapAfterFirst

    const cacheWrite = await withCpu(async () => sync.stop())
    const cacheBytes = statSync(path.join(dir, 'cache.json')).size

    progress(BENCH, 'p=-1 against paging by 10')
    const all = await listCost(clientFor(profile, emulator, counting.transport), counting)
    const pagedCounting = countingTransport(ignoringAllPages(createNodeTransport()))
    const paged = await listCost(
      clientFor(profile, emulator, pagedCounting.transport),
      pagedCounting
    )

    const cpu = samples.map((s) => s.cpuMs)
    const fetchCpu = samples.map((s) => s.fetchCpuMs)
    const diffCpu = samples.map((s) => s.diffCpuMs)
    const bytesPerPoll = median(samples.map((s) => s.bytesRead))
    const probeCpu = probes.map((s) => s.cpuMs)
    const probeFindingNewCpu = probesFindingNew.map((s) => s.cpuMs)
    const atDefaults =
      ((FULL_READ_EVERY - 1) * median(probeFindingNewCpu) + median(cpu)) / FULL_READ_EVERY
    report.finish(
      [
        figure(
          'poll CPU, scheduled, nothing new (page-1 probe), median',
          round(median(probeCpu)),
          'ms',
          { op: '<', value: 20 }
        ),
        figure(
          'poll CPU, scheduled, 5 new (page-1 probe, added from it), median',
          round(median(probeFindingNewCpu)),
          'ms',
          { op: '<', value: 20 }
        ),
        figure(
          'poll CPU, full read, whole (fetch+parse+validate+diff), median',
          round(median(cpu)),
          'ms',
          { op: '<', value: 20 }
        ),
        figure('  of which fetch+parse+validate (client)', round(median(fetchCpu)), 'ms'),
        figure('poll CPU, sync diff+cache+notify alone, median', round(median(diffAlone)), 'ms', {
          op: '<',
          value: 20
        }),
        figure(
          `poll CPU, scheduled at the defaults, 5 new each (${FULL_READ_EVERY - 1} probes + 1 full read), mean`,
          round(atDefaults),
          'ms',
          null,
          'worked out from the medians of the probe with 5 new and of the full read with 5 new'
        ),
        figure('bytes read per probe', round(median(probes.map((s) => s.bytesRead)) / 1e3), 'kB'),
        figure('bytes read per full read', megabytes(bytesPerPoll), 'MB'),
        figure('allocated per probe (V8 heap), median', megabytes(median(probeAllocations)), 'MB'),
        figure(
          'allocated per probe with 5 new (V8 heap), median',
          megabytes(median(mergeAllocations)),
          'MB'
        ),
        figure('allocated per full read (V8 heap), median', megabytes(median(allocations)), 'MB'),
        figure('p=-1: elapsed per list read', all.wallMs.p50, 'ms'),
        figure('p=-1: requests per list read', all.requests, 'requests'),
        figure('paging by 10: elapsed per list read', paged.wallMs.p50, 'ms'),
        figure('paging by 10: requests per list read', paged.requests, 'requests')
      ],
      {
        pending,
        newPerPoll: NEW_PER_POLL,
        rounds,
        latencyMs,
        gcExposed,
        firstPoll,
        scheduledNothingNew: {
          cpuMs: summarize(probeCpu),
          requests: median(probes.map((s) => s.requests)),
          bytesRead: median(probes.map((s) => s.bytesRead))
        },
        scheduledFiveNew: {
          cpuMs: summarize(probeFindingNewCpu),
          requests: median(probesFindingNew.map((s) => s.requests)),
          bytesRead: median(probesFindingNew.map((s) => s.bytesRead))
        },
        probeAllocatedMb: probeAllocations.map(megabytes),
        probeWithNewAllocatedMb: mergeAllocations.map(megabytes),
        perPoll: {
          cpuMs: summarize(cpu),
          fetchCpuMs: summarize(fetchCpu),
          afterFetchCpuMs: summarize(diffCpu),
          syncDiffAloneCpuMs: summarize(diffAlone),
          wallMs: summarize(samples.map((s) => s.wallMs)),
          requests: median(samples.map((s) => s.requests)),
          bytesRead: bytesPerPoll
        },
        allocatedMb: allocations.map(megabytes),
        retainedGrowthMbAfterPolls: megabytes(retainedGrowth),
        notificationsShown: notifier.shown,
        cacheStoreWrite: { cpuMs: round(cacheWrite.cpuMs), fileMb: megabytes(cacheBytes) },
        listRead: { pAll: all, pagedBy10: paged }
      }
    )
  } finally {
    await emulator.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

interface ScheduledSample {
  cpuMs: number
  requests: number
  bytesRead: number
  notified: number
}

/**
 * CPU of one poll whose list read answers at once with a list fetched beforehand:
 * what the sync itself costs. Its own function, so no variable of the caller keeps the list.
 */
async function replayedPollCpu(
  client: PortalClient,
  use: (client: PortalClient) => void,
  poll: () => Promise<void>
): Promise<number> {
  // A fresh read (new objects, as every poll gets), kept aside until the timed poll replays it.
  const items: RequestDetail[] = await client.listRequests('pending')
  const replay: PortalClient = Object.create(client) as PortalClient
  replay.listRequests = async () => items
  use(replay)
  await collect()
  try {
    return (await withCpu(poll)).cpuMs
  } finally {
    use(client)
  }
}

/** Two timed list reads after a first one that settles the paging mode and the policy names. */
async function listCost(
  client: PortalClient,
  counting: ReturnType<typeof countingTransport>
): Promise<{
  wallMs: ReturnType<typeof summarize>
  cpuMs: ReturnType<typeof summarize>
  requests: number
  bytesRead: number
  items: number
  detection: { requests: number; wallMs: number }
}> {
  counting.reset()
  const detectStart = performance.now()
  await client.listRequests('pending')
  const detection = {
    requests: counting.counts().requests,
    wallMs: round(performance.now() - detectStart)
  }
  const wall: number[] = []
  const cpu: number[] = []
  let items = 0
  counting.reset()
  for (let run = 0; run < 2; run++) {
    const start = performance.now()
    const { cpuMs, value } = await withCpu(() => client.listRequests('pending'))
    wall.push(performance.now() - start)
    cpu.push(cpuMs)
    items = value.length
  }
  const { requests, bytesRead } = counting.counts()
  return {
    wallMs: summarize(wall),
    cpuMs: summarize(cpu),
    requests: requests / 2,
    bytesRead: bytesRead / 2,
    items,
    detection
  }
}

runBench(main)
