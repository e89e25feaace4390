/**
 * Outbox flush: 500 queued approvals on one profile, then 3 x 500 on three profiles, against
 * emulators (separate processes) with 20 ms latency, beside the round-trip floor
 * `RTT + ceil(N/c) * RTT` and a naive sequential client (approve after approve, no pre-flight
 * check, what a curl loop does) on the same emulators in the same run.
 * Run: npx tsx bench/flush.ts [--approvals 500] [--latency 20] [--repeats 3] [--batch-size n]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createNodeTransport } from '../src/main/core/http/node-transport'
import { Outbox } from '../src/main/core/outbox/outbox'
import { systemClock } from '../src/main/core/ports'
import { createConfStoreFactory } from '../src/main/core/storage/conf-store'
import type { OutboxState } from '../src/shared/domain'
import { countingStore } from './support/counting-store'
import { countingTransport, type TransportCounts } from './support/counting-transport'
import { startEmulatorProcesses, type EmulatorProcess } from './support/emulator-process'
import { flag } from './support/flags'
import { clientFor, measureRtt, profileFor } from './support/profiles'
import { quietLogger } from './support/quiet'
import { figure, progress, runBench, startReport } from './support/report'
import { median, round, summarize, withCpu } from './support/stats'

const BENCH = 'flush'
const perProfile = flag('approvals', 500)
const latencyMs = flag('latency', 20)
/** Keygate's flushes are short: each is repeated and the median run reported. */
const repeats = flag('repeats', 3)
/** The outbox defaults (outbox-types.ts), stated here so the floor uses the same numbers. */
const concurrency = 4
const maxParallelProfiles = 4
/** Items marked `sending` per store write; 0 keeps the outbox's default (to try other values). */
const batchSize = flag('batch-size', 0)

interface RunFigures {
  profiles: number
  approvals: number
  elapsedMs: number
  cpuMs: number
  sent: TransportCounts
  approvedOnPortal: number
  approvedTwice: number
}

interface KeygateRun extends RunFigures {
  enqueueMs: number
  states: Partial<Record<OutboxState, number>>
  credentials: number
  storeWrites: { count: number; ms: number }
}

/** Approvals a run's requests got on the emulators: once each, never twice. */
async function approvalsOf(
  emulators: EmulatorProcess[],
  ids: string[][]
): Promise<{ approved: number; twice: number }> {
  let approved = 0
  let twice = 0
  for (const [index, emulator] of emulators.entries()) {
    const { approvals } = await emulator.stats()
    for (const id of ids[index] ?? []) {
      const count = approvals[id] ?? 0
      if (count >= 1) approved += 1
      if (count > 1) twice += 1
    }
  }
  return { approved, twice }
}

/** A run whose approvals did not all land exactly once measured nothing worth printing. */
function checkApprovals(who: string, expected: number, approved: number, twice: number): void {
  if (approved !== expected || twice > 0) {
    throw new Error(`${who}: ${approved} of ${expected} requests approved, ${twice} of them twice`)
  }
}

/** The real Outbox (conf store in a temp dir, production client and transport), one flush. */
async function keygateFlush(emulators: EmulatorProcess[], dir: string): Promise<KeygateRun> {
  const ids = await Promise.all(emulators.map((emulator) => emulator.generate(perProfile)))
  const profiles = emulators.map((emulator, index) => profileFor(emulator, index))
  const counting = countingTransport(createNodeTransport())
  const clients = new Map(
    profiles.map((profile, index) => [
      profile.id,
      clientFor(profile, emulators[index] as EmulatorProcess, counting.transport)
    ])
  )
  const store = countingStore(createConfStoreFactory(dir)('outbox'))
  const outbox = new Outbox({
    store: store.store,
    clock: systemClock,
    logger: quietLogger,
    concurrency,
    maxParallelProfiles,
    ...(batchSize > 0 ? { batchSize } : {}),
    clientFor: async (profileId) => {
      const client = clients.get(profileId)
      if (!client) throw new Error(`no client for ${profileId}`)
      return client
    }
  })
  let credentials = 0
  outbox.onCredential(() => {
    credentials += 1
  })
  await outbox.recover()

  const enqueueStart = performance.now()
  outbox.enqueueMany(
    profiles.flatMap((profile, index) =>
      (ids[index] ?? []).map((requestId) => ({
        profileId: profile.id,
        requestId,
        kind: 'approve' as const
      }))
    )
  )
  const enqueueMs = performance.now() - enqueueStart

  const start = performance.now()
  const { cpuMs } = await withCpu(() => outbox.flush())
  const elapsedMs = performance.now() - start
  await outbox.stop()

  const states: Partial<Record<OutboxState, number>> = {}
  for (const item of outbox.list()) states[item.state] = (states[item.state] ?? 0) + 1
  const { approved, twice } = await approvalsOf(emulators, ids)
  checkApprovals('Keygate', perProfile * emulators.length, approved, twice)
  if (states.done !== perProfile * emulators.length) {
    throw new Error(`the outbox ended with ${JSON.stringify(states)}, not every item done`)
  }
  return {
    profiles: emulators.length,
    approvals: perProfile * emulators.length,
    elapsedMs: round(elapsedMs),
    cpuMs: round(cpuMs),
    enqueueMs: round(enqueueMs),
    sent: counting.counts(),
    states,
    credentials,
    storeWrites: { count: store.writes().count, ms: round(store.writes().ms) },
    approvedOnPortal: approved,
    approvedTwice: twice
  }
}

/** `repeats` flushes on fresh requests; the median one, and every elapsed time. */
async function keygateRuns(
  emulators: EmulatorProcess[],
  dir: string
): Promise<{ median: KeygateRun; elapsedMs: number[] }> {
  const runs: KeygateRun[] = []
  for (let run = 0; run < repeats; run++) {
    runs.push(await keygateFlush(emulators, path.join(dir, String(run))))
  }
  const sorted = [...runs].sort((a, b) => a.elapsedMs - b.elapsedMs)
  return {
    median: sorted[Math.floor(sorted.length / 2)] as KeygateRun,
    elapsedMs: runs.map((run) => run.elapsedMs)
  }
}

/** One approve after another across every profile, no pre-flight read: a curl loop. */
async function naiveLoop(emulators: EmulatorProcess[]): Promise<RunFigures> {
  const ids = await Promise.all(emulators.map((emulator) => emulator.generate(perProfile)))
  const counting = countingTransport(createNodeTransport())
  const clients = emulators.map((emulator, index) =>
    clientFor(profileFor(emulator, index), emulator, counting.transport)
  )
  const start = performance.now()
  const { cpuMs } = await withCpu(async () => {
    for (const [index, client] of clients.entries()) {
      for (const id of ids[index] ?? []) await client.approve(id)
    }
  })
  const elapsedMs = performance.now() - start
  const { approved, twice } = await approvalsOf(emulators, ids)
  checkApprovals('the naive loop', perProfile * emulators.length, approved, twice)
  return {
    profiles: emulators.length,
    approvals: perProfile * emulators.length,
    elapsedMs: round(elapsedMs),
    cpuMs: round(cpuMs),
    sent: counting.counts(),
    approvedOnPortal: approved,
    approvedTwice: twice
  }
}

async function rttSamples(emulators: EmulatorProcess[], probes: string[]): Promise<number[]> {
  const samples: number[] = []
  for (const [index, emulator] of emulators.entries()) {
    samples.push(...(await measureRtt(emulator, probes[index] as string)))
  }
  return samples
}

async function main(): Promise<void> {
  const report = startReport(BENCH)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-bench-flush-'))
  progress(BENCH, `starting 3 emulators (latency ${latencyMs} ms)`)
  const emulators = await startEmulatorProcesses(3, {
    secret: 'bench-flush-secret',
    firstSeed: 501,
    faults: { latencyMs }
  })
  try {
    // One request per emulator that no run touches, to probe the round trip on.
    const probes = (await Promise.all(emulators.map((emulator) => emulator.generate(1)))).map(
      (ids) => ids[0] as string
    )
    const rttBefore = await rttSamples(emulators, probes)

    progress(BENCH, `Keygate outbox: ${perProfile} approvals on 1 profile, ${repeats} times`)
    const singleRuns = await keygateRuns(emulators.slice(0, 1), path.join(dir, 'single'))
    const single = singleRuns.median
    progress(BENCH, `naive loop: ${perProfile} approvals on 1 profile`)
    const naiveSingle = await naiveLoop(emulators.slice(0, 1))
    progress(BENCH, `Keygate outbox: 3 x ${perProfile} approvals on 3 profiles, ${repeats} times`)
    const multiRuns = await keygateRuns(emulators, path.join(dir, 'multi'))
    const multi = multiRuns.median
    progress(BENCH, `naive loop: 3 x ${perProfile} approvals`)
    const naiveMulti = await naiveLoop(emulators)

    const rttAfter = await rttSamples(emulators, probes)
    const rtt = median([...rttBefore, ...rttAfter])
    // Profiles flush in parallel (3 <= maxParallelProfiles), each on its own emulator: the floor
    // of the three-profile run is that of one profile's share.
    const floorMs = rtt + Math.ceil(perProfile / concurrency) * rtt
    const ratio = (run: KeygateRun) => round(run.elapsedMs / floorMs, 2)
    const speedup = (naive: RunFigures, run: KeygateRun) =>
      round(naive.elapsedMs / run.elapsedMs, 2)

    report.finish(
      [
        figure('RTT (20 ms latency emulator, median)', round(rtt, 2), 'ms'),
        figure(`floor RTT + ceil(${perProfile}/${concurrency})*RTT`, round(floorMs), 'ms'),
        figure(
          `flush ${perProfile} approvals, 1 profile (median of ${repeats})`,
          single.elapsedMs,
          'ms'
        ),
        figure('  requests sent', single.sent.requests, 'requests'),
        figure('  ratio to floor', ratio(single), 'x', { op: '<=', value: 1.2 }),
        figure('  naive sequential loop', naiveSingle.elapsedMs, 'ms'),
        figure('  speed vs naive', speedup(naiveSingle, single), 'x', { op: '>=', value: 3.5 }),
        figure(
          `flush 3 x ${perProfile} approvals, 3 profiles (median of ${repeats})`,
          multi.elapsedMs,
          'ms'
        ),
        figure('  requests sent', multi.sent.requests, 'requests'),
        figure('  ratio to floor', ratio(multi), 'x', { op: '<=', value: 1.2 }),
        figure('  naive sequential loop', naiveMulti.elapsedMs, 'ms'),
        figure('  speed vs naive', speedup(naiveMulti, multi), 'x', { op: '>=', value: 3.5 })
      ],
      {
        latencyMs,
        concurrency,
        maxParallelProfiles,
        batchSize: batchSize > 0 ? batchSize : 'outbox default',
        rttMs: { before: summarize(rttBefore, 2), after: summarize(rttAfter, 2) },
        floorMs: round(floorMs),
        floorNote:
          'Per profile; the three profiles run in parallel on three emulators, so they share one floor.',
        keygate: {
          single,
          multi,
          elapsedMsAllRuns: { single: singleRuns.elapsedMs, multi: multiRuns.elapsedMs }
        },
        naive: { single: naiveSingle, multi: naiveMulti }
      }
    )
  } finally {
    await Promise.all(emulators.map((emulator) => emulator.close()))
    rmSync(dir, { recursive: true, force: true })
  }
}

runBench(main)
