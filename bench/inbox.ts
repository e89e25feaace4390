/**
 * The inbox at 10,000 pending requests across 3 profiles (emulators in their own processes, 20 ms
 * latency). Core: fetch + validate + merge (the production client's list reads, the sync cache
 * and its merged view). Renderer: the built app in Chromium through Playwright, read from its
 * performance marks: push of the data to the list painted and scrollable, search keystroke
 * latency over 10,000 items, frame times while the list scrolls.
 * Run: npx tsx bench/inbox.ts [--requests 10000] [--latency 20]
 */
import type { Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createBenchBackend, type BenchBackend } from './support/bench-backend'
import { startEmulatorProcesses } from './support/emulator-process'
import { flag } from './support/flags'
import * as scripts from './support/page-scripts'
import { ensureRendererBuild } from './support/renderer-build'
import { rendererUnavailable } from './support/chromium'
import { openRenderer, PUSH_MARK, type RendererPage } from './support/renderer-page'
import { figure, progress, runBench, startReport, type Figure } from './support/report'
import { median, megabytes, round, summarize } from './support/stats'

const BENCH = 'inbox'
const total = flag('requests', 10_000)
const latencyMs = flag('latency', 20)
const PROFILES = 3
const RELOADS = 4
/** Typed char by char: an email fragment, a free-mail domain, a policy, a field word, no match. */
const QUERIES = ['chen', 'gmail', 'partner access', 'mobile', 'zzqx']
const ROW_HEIGHT_PX = 76

const log = (message: string) => progress(BENCH, message)

async function coreFigures(backend: BenchBackend) {
  const fetchMs: number[] = []
  const mergeMs: number[] = []
  for (let run = 0; run < 4; run++) {
    const start = performance.now()
    await backend.sync.refresh(undefined, 'pending')
    fetchMs.push(performance.now() - start)
    const mergeStart = performance.now()
    const view = backend.sync.view(undefined, 'pending')
    mergeMs.push(performance.now() - mergeStart)
    if (view.items.length !== total) {
      const errors = view.sources.map((source) => source.error?.message).filter(Boolean)
      throw new Error(`expected ${total} requests in the inbox, got ${view.items.length} ${errors}`)
    }
  }
  return {
    // The first read is cold: paging detection, policy names, the cache filled from nothing.
    coldFetchMs: round(fetchMs[0] ?? 0),
    coldMergeMs: round(mergeMs[0] ?? 0),
    warmFetchMs: summarize(fetchMs.slice(1)),
    warmMergeMs: summarize(mergeMs.slice(1))
  }
}

async function entry(page: Page, name: string): Promise<scripts.TimedEntry | null> {
  const found = (await page.evaluate(scripts.entries(name))) as scripts.TimedEntry[]
  return found[found.length - 1] ?? null
}

/** Polls for a user-timing entry (the page's CSP forbids Playwright's string predicates). */
async function waitForEntry(page: Page, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (((await page.evaluate(scripts.entries(name))) as unknown[]).length === 0) {
    if (Date.now() > deadline) throw new Error(`no ${name} entry within ${timeoutMs} ms`)
    await page.waitForTimeout(20)
  }
}

/** One push of the data, up to the list painted: the renderer's own marks. */
async function pushAndPaint(renderer: RendererPage, backend: BenchBackend) {
  const { page } = renderer
  await page.evaluate(scripts.clearTimings)
  backend.push('requests:changed', { profileIds: backend.profiles.map((profile) => profile.id) })
  await waitForEntry(page, 'keygate:list-paint', 60_000)
  const push = await entry(page, PUSH_MARK)
  const data = await entry(page, 'keygate:list-data')
  const painted = await entry(page, 'keygate:list-painted')
  const paint = await entry(page, 'keygate:list-paint')
  if (!push || !data || !painted || !paint) throw new Error('the renderer did not leave its marks')
  const list = (await page.evaluate(scripts.listState)) as {
    scrollHeight: number
    clientHeight: number
    rowsInDom: number
    setSize: number
  } | null
  return {
    paintMs: round(paint.duration),
    pushToDataMs: round(data.startTime - push.startTime),
    pushToPaintedMs: round(painted.startTime - push.startTime),
    list
  }
}

async function searchFigures(page: Page) {
  // The search text is indexed in idle time after the paint; an admin starts typing after that.
  await page.waitForTimeout(2_000)
  await page.evaluate(scripts.recordInputToFrame)
  await page.evaluate(scripts.clearTimings)
  const box = page.getByLabel('Search requests')
  await box.click()
  const matches: Record<string, number> = {}
  for (const query of QUERIES) {
    await page.keyboard.type(query, { delay: 60 })
    await page.waitForTimeout(200)
    matches[query] = (await page.evaluate(scripts.shownCount)) as number
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Backspace')
    await page.waitForTimeout(200)
  }
  const measures = (await page.evaluate(scripts.entries('keygate:search'))) as scripts.TimedEntry[]
  const toFrame = (await page.evaluate(scripts.inputToFrame)) as number[]
  await page.keyboard.press('Escape')
  return {
    keystrokes: summarize(
      measures.map((m) => m.duration),
      2
    ),
    keystrokeMs: measures.map((m) => round(m.duration)),
    keystrokeToNextFrame: summarize(toFrame, 1),
    matches
  }
}

async function scrollFigures(page: Page) {
  await page.waitForTimeout(300)
  const idle = (await page.evaluate(scripts.idleFrames(60))) as number[]
  const frames = async (stepPx: number, count: number) => {
    const result = (await page.evaluate(scripts.scrollFrames(stepPx, count))) as {
      deltas: number[]
      scrolledPx: number
      rowsInDom: number
    } | null
    if (!result) throw new Error('no request list to scroll')
    const cadence = median(idle)
    return {
      stepPx,
      frames: summarize(result.deltas, 1),
      // A frame that took 1.5 cadences or more showed (at least) one dropped frame.
      longFrames: result.deltas.filter((delta) => delta >= cadence * 1.5).length,
      scrolledRows: Math.round(result.scrolledPx / ROW_HEIGHT_PX),
      rowsInDom: result.rowsInDom
    }
  }
  return {
    idleFrames: summarize(idle, 1),
    // About 2 rows a frame (a brisk wheel scroll), then 40 (dragging the scrollbar).
    steady: await frames(ROW_HEIGHT_PX * 2, 240),
    fling: await frames(ROW_HEIGHT_PX * 40, 120)
  }
}

async function main(): Promise<void> {
  const report = startReport(BENCH)
  const unavailable = rendererUnavailable()
  if (unavailable === null) ensureRendererBuild(log)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-bench-inbox-'))
  log(`starting ${PROFILES} emulators (latency ${latencyMs} ms)`)
  const emulators = await startEmulatorProcesses(PROFILES, {
    secret: 'bench-inbox-secret',
    firstSeed: 701,
    faults: { latencyMs }
  })
  const backend = createBenchBackend(emulators, dir)
  let renderer: RendererPage | null = null
  try {
    if (unavailable === null) {
      log('opening the built renderer in Chromium')
      renderer = await openRenderer(backend)
      renderer.forwardPushes(false)
    }
    const shares = emulators.map(
      (_, index) => Math.floor(total / PROFILES) + (index < total % PROFILES ? 1 : 0)
    )
    await Promise.all(emulators.map((emulator, index) => emulator.generate(shares[index] ?? 0)))

    log(`core: fetch + validate + merge of ${total} requests`)
    const core = await coreFigures(backend)
    const figures: Figure[] = [
      figure(
        `core fetch+validate+cache, ${total} on ${PROFILES} profiles, cold`,
        core.coldFetchMs,
        'ms'
      ),
      figure('core fetch+validate+cache, warm (median)', core.warmFetchMs.p50, 'ms'),
      figure('core merged view (requests:list), median', core.warmMergeMs.p50, 'ms')
    ]
    const details: Record<string, unknown> = {
      requests: total,
      profiles: PROFILES,
      shares,
      latencyMs,
      core
    }
    const skipped: string[] = []

    if (renderer) {
      const { page } = renderer
      renderer.forwardPushes(true)
      log('renderer: push -> list painted')
      const first = await pushAndPaint(renderer, backend)
      const reloads = []
      for (let run = 0; run < RELOADS; run++) reloads.push(await pushAndPaint(renderer, backend))
      log('renderer: search keystrokes')
      const search = await searchFigures(page)
      log('renderer: frame times while scrolling')
      const scroll = await scrollFigures(page)
      const heap = await renderer.heapUsed()
      const scrollable =
        first.list !== null &&
        first.list.setSize === total &&
        first.list.scrollHeight >= total * ROW_HEIGHT_PX &&
        first.list.scrollHeight > first.list.clientHeight
      figures.push(
        figure('renderer list painted after data (first, 0 -> 10,000)', first.paintMs, 'ms', {
          op: '<',
          value: 150
        }),
        figure('  reload with 10,000 shown (median)', median(reloads.map((r) => r.paintMs)), 'ms', {
          op: '<',
          value: 150
        }),
        figure('  push -> painted incl. IPC (first)', first.pushToPaintedMs, 'ms'),
        figure('  rows reachable by scrolling once painted', scrollable ? total : 0, 'rows'),
        figure('search keystroke p50', search.keystrokes.p50, 'ms'),
        figure('search keystroke p95', search.keystrokes.p95, 'ms', { op: '<', value: 16 }),
        figure('  keystroke -> next frame p95', search.keystrokeToNextFrame.p95, 'ms'),
        figure('scroll frame p95, 2 rows/frame', scroll.steady.frames.p95, 'ms'),
        figure('scroll frame p95, 40 rows/frame', scroll.fling.frames.p95, 'ms')
      )
      details.renderer = {
        chromium: renderer.chromiumVersion,
        first,
        reloads,
        search,
        scroll,
        jsHeapMb: megabytes(heap),
        notes: [
          'painted = measure keygate:list-paint (list-data mark when the list arrives in the renderer -> list-painted mark in the task after the next frame).',
          'push -> painted also counts the requests:list round trip (bench IPC: same-origin fetch, JSON both ways), in place of Electron IPC.',
          `search = measure keygate:search (input event -> filtered list committed), ${QUERIES.length} queries typed char by char, plus the clearing keystrokes.`
        ]
      }
    } else {
      skipped.push(`renderer figures: ${unavailable}`)
    }
    report.finish(figures, details, skipped)
  } finally {
    await renderer?.close()
    await backend.stop()
    await Promise.all(emulators.map((emulator) => emulator.close()))
    rmSync(dir, { recursive: true, force: true })
  }
}

runBench(main)
