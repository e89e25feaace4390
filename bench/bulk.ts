/**
 * Bulk decision: select all 500 pending requests of one portal and approve them with one
 * `requests:decideMany` call on a real AppCore (conf stores, production client and transport)
 * against an emulator process with 20 ms latency, from the call to the last item settled (read
 * from the `outbox:changed` pushes), beside the flush floor `RTT + ceil(N/c) * RTT` of flush.ts.
 * The undo window is 0 here: with one, every item waits that long first, on top of the figure.
 * Run: npx tsx bench/bulk.ts [--approvals 500] [--latency 20]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAppCore } from '../src/main/core/app-core'
import { createMemoryCredentialStore } from '../src/main/core/profiles/memory-credential-store'
import { createConfStoreFactory } from '../src/main/core/storage/conf-store'
import { FakeClipboard } from '../src/main/core/testing/fake-clipboard'
import type { OutboxItem } from '../src/shared/domain'
import { startEmulatorProcess } from './support/emulator-process'
import { flag } from './support/flags'
import { measureRtt } from './support/profiles'
import { countingNotifier, quietLogger } from './support/quiet'
import { figure, progress, runBench, startReport } from './support/report'
import { median, round, summarize, withCpu } from './support/stats'

const BENCH = 'bulk'
const approvals = flag('approvals', 500)
const latencyMs = flag('latency', 20)
/** The outbox default, stated here so the floor uses the same number as flush.ts. */
const concurrency = 4
const unsettled = new Set(['queued', 'sending'])

async function main(): Promise<void> {
  const report = startReport(BENCH)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-bench-bulk-'))
  progress(BENCH, `starting an emulator (latency ${latencyMs} ms)`)
  const emulator = await startEmulatorProcess({
    secret: 'bench-bulk-secret',
    seed: 601,
    faults: { latencyMs }
  })
  const core = createAppCore({
    stores: createConfStoreFactory(dir),
    credentials: createMemoryCredentialStore(),
    notifier: countingNotifier(),
    clipboard: new FakeClipboard(),
    logger: quietLogger,
    userName: 'bench-admin',
    tuning: { undoSeconds: 0 }
  })
  try {
    const [probe] = await emulator.generate(1)
    const ids = await emulator.generate(approvals)
    const rttBefore = await measureRtt(emulator, probe as string)
    await core.start()
    const profile = await core.handlers['profiles:create']({
      name: 'Bulk',
      baseUrl: emulator.url,
      secret: emulator.secret
    })
    const view = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    const wanted = new Set(ids)
    // "Select all matching": every request of the list the admin filtered down to the new ones.
    const refs = view.items
      .filter((item) => wanted.has(item.id))
      .map((item) => ({ profileId: profile.id, requestId: item.id }))
    if (refs.length !== approvals) throw new Error(`listed ${refs.length} of ${approvals}`)

    progress(BENCH, `decideMany: ${approvals} approvals`)
    let opIds: Set<string> | null = null
    let latest: OutboxItem[] = []
    let resolveSettled: () => void = () => {}
    const settled = new Promise<void>((resolve) => (resolveSettled = resolve))
    const check = (): void => {
      if (!opIds) return
      const mine = latest.filter((item) => opIds?.has(item.opId))
      if (mine.length === opIds.size && mine.every((item) => !unsettled.has(item.state))) {
        resolveSettled()
      }
    }
    core.onPush((message) => {
      if (message.event !== 'outbox:changed') return
      latest = message.payload
      check()
    })
    const start = performance.now()
    const { cpuMs, value: answerMs } = await withCpu(async () => {
      const result = await core.handlers['requests:decideMany']({ refs, kind: 'approve' })
      const answered = performance.now() - start
      opIds = new Set(result.accepted.map((entry) => entry.opId))
      latest = await core.handlers['outbox:list'](undefined)
      check()
      await settled
      return answered
    })
    const elapsedMs = performance.now() - start

    const stats = await emulator.stats()
    const once = ids.filter((id) => stats.approvals[id] === 1).length
    const twice = ids.filter((id) => (stats.approvals[id] ?? 0) > 1).length
    const done = latest.filter((item) => opIds?.has(item.opId) && item.state === 'done').length
    if (once !== approvals || twice > 0 || done !== approvals) {
      throw new Error(`${once} approved once, ${twice} twice, ${done} done of ${approvals}`)
    }
    const keys = (await core.handlers['keys:list'](undefined)).length
    const rttAfter = await measureRtt(emulator, probe as string)
    const rtt = median([...rttBefore, ...rttAfter])
    const floorMs = rtt + Math.ceil(approvals / concurrency) * rtt

    report.finish(
      [
        figure('RTT (20 ms latency emulator, median)', round(rtt, 2), 'ms'),
        figure(`floor RTT + ceil(${approvals}/${concurrency})*RTT`, round(floorMs), 'ms'),
        figure(`decideMany ${approvals} approvals: call answered`, round(answerMs), 'ms'),
        figure(`  call -> last item settled`, round(elapsedMs), 'ms'),
        figure('  ratio to floor', round(elapsedMs / floorMs, 2), 'x')
      ],
      {
        latencyMs,
        concurrency,
        undoSeconds: 0,
        cpuMs: round(cpuMs),
        rttMs: { before: summarize(rttBefore, 2), after: summarize(rttAfter, 2) },
        keysHeld: keys,
        approvedOnce: once
      }
    )
  } finally {
    await core.stop()
    await emulator.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

runBench(main)
