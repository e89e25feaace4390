/**
 * Footprint: the built renderer's JS (gzip), the core's heap with 10,000 requests loaded (the
 * sync cache of 3 profiles filled from emulators in their own processes), and the renderer's JS
 * heap showing those 10,000 requests in Chromium.
 * Run: node --expose-gc --import tsx bench/footprint.ts [--requests 10000]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import { gzipSync } from 'node:zlib'
import { createBenchBackend, type BenchBackend } from './support/bench-backend'
import { startEmulatorProcesses } from './support/emulator-process'
import { flag } from './support/flags'
import * as scripts from './support/page-scripts'
import { ensureRendererBuild, rendererBuildProblem, rendererDir } from './support/renderer-build'
import { rendererUnavailable } from './support/chromium'
import { figure, progress, runBench, startReport, type Figure } from './support/report'
import { megabytes, round } from './support/stats'

const BENCH = 'footprint'
const total = flag('requests', 10_000)
const PROFILES = 3
const log = (message: string) => progress(BENCH, message)

/** Heap in use after a full GC; without --expose-gc, as it is (said in the details). */
function heapUsed(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  return v8.getHeapStatistics().used_heap_size
}

function rendererAssets() {
  const dir = path.join(rendererDir, 'assets')
  const files = readdirSync(dir).map((name) => {
    const content = readFileSync(path.join(dir, name))
    return { name, bytes: content.length, gzipBytes: gzipSync(content).length }
  })
  const sum = (ext: string, key: 'bytes' | 'gzipBytes') =>
    files.filter((file) => file.name.endsWith(ext)).reduce((acc, file) => acc + file[key], 0)
  return {
    files,
    jsBytes: sum('.js', 'bytes'),
    jsGzipBytes: sum('.js', 'gzipBytes'),
    cssGzipBytes: sum('.css', 'gzipBytes')
  }
}

/** The page opens on an empty cache, then the requests are fetched and pushed. */
async function rendererHeap(backend: BenchBackend): Promise<{ emptyMb: number; loadedMb: number }> {
  // Loaded only now, so Playwright's own modules stay out of the core heap figure.
  const { openRenderer } = await import('./support/renderer-page')
  const renderer = await openRenderer(backend)
  try {
    await renderer.page.waitForTimeout(500)
    const empty = await renderer.heapUsed()
    await renderer.page.evaluate(scripts.clearTimings)
    await backend.sync.refresh(undefined, 'pending')
    backend.push('requests:changed', { profileIds: backend.profiles.map((profile) => profile.id) })
    const deadline = Date.now() + 60_000
    while (
      ((await renderer.page.evaluate(scripts.entries('keygate:list-paint'))) as []).length === 0
    ) {
      if (Date.now() > deadline) throw new Error('the list was not painted within 60 s')
      await renderer.page.waitForTimeout(20)
    }
    const shown = (await renderer.page.evaluate(scripts.shownCount)) as number
    if (shown !== total) throw new Error(`the renderer shows ${shown} requests, expected ${total}`)
    // Let the idle-time search index fill in: it is part of what a loaded inbox holds.
    await renderer.page.waitForTimeout(3_000)
    const loaded = await renderer.heapUsed()
    return { emptyMb: megabytes(empty), loadedMb: megabytes(loaded) }
  } finally {
    await renderer.close()
  }
}

async function main(): Promise<void> {
  const report = startReport(BENCH)
  const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function'
  const unavailable = rendererUnavailable()
  const skipped: string[] = []
  const figures: Figure[] = []
  const details: Record<string, unknown> = { requests: total, profiles: PROFILES, gcExposed }

  ensureRendererBuild(log)
  const stale = rendererBuildProblem()
  if (stale) throw new Error(`cannot measure the renderer bundle: ${stale}`)
  const assets = rendererAssets()
  figures.push(
    figure('renderer JS, gzip', round(assets.jsGzipBytes / 1000), 'kB', { op: '<=', value: 250 })
  )
  details.rendererAssets = assets

  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-bench-footprint-'))
  log(`starting ${PROFILES} emulators with ${total} pending requests`)
  const emulators = await startEmulatorProcesses(PROFILES, {
    secret: 'bench-footprint-secret',
    firstSeed: 901
  })
  const backend = createBenchBackend(emulators, dir)
  try {
    await Promise.all(
      emulators.map((emulator, index) =>
        emulator.generate(Math.floor(total / PROFILES) + (index < total % PROFILES ? 1 : 0))
      )
    )
    // Baseline: every module loaded, clients and caches built, no request fetched yet.
    const before = heapUsed()
    await backend.sync.refresh(undefined, 'pending')
    const loaded = backend.sync.view(undefined, 'pending').items.length
    if (loaded !== total) throw new Error(`loaded ${loaded} requests, expected ${total}`)
    const after = heapUsed()
    figures.push(
      figure(`core heap with ${total} requests loaded`, megabytes(after), 'MB', {
        op: '<',
        value: 150
      }),
      figure('  of which the requests (heap growth)', megabytes(after - before), 'MB')
    )
    details.core = {
      heapBeforeMb: megabytes(before),
      heapAfterMb: megabytes(after),
      rssMb: megabytes(process.memoryUsage().rss),
      note: gcExposed
        ? 'used V8 heap after a full GC'
        : 'run without --expose-gc: heap as found, garbage included'
    }

    if (unavailable === null) {
      log('renderer JS heap with the requests shown')
      const fresh = createBenchBackend(emulators, path.join(dir, 'renderer'))
      const heap = await rendererHeap(fresh).finally(() => fresh.stop())
      figures.push(
        figure(`renderer JS heap with ${total} requests`, heap.loadedMb, 'MB', {
          op: '<',
          value: 150
        })
      )
      details.renderer = {
        ...heap,
        note: 'CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage, search index filled'
      }
    } else {
      skipped.push(`renderer JS heap: ${unavailable}`)
    }
    report.finish(figures, details, skipped)
  } finally {
    await backend.stop()
    await Promise.all(emulators.map((emulator) => emulator.close()))
    rmSync(dir, { recursive: true, force: true })
  }
}

runBench(main)
