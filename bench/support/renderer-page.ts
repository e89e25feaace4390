import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test'
import type { BenchBackend } from './bench-backend'
import { benchKeygateScript } from './bench-keygate'
import { headlessChromiumArgs } from '../../e2e/harness/chromium'
import { chromiumPath } from './chromium'
import { rendererDir } from './renderer-build'
import { serveRenderer } from './renderer-server'

const chromiumArgs = [
  ...headlessChromiumArgs,
  // Keep timers and frames running at full rate in a headless, never-focused window.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows'
]

/** The push the page receives is marked first, so "push to painted" starts in the page. */
export const PUSH_MARK = 'bench:push'

export interface RendererPage {
  page: Page
  cdp: CDPSession
  chromiumVersion: string
  /** Whether pushes from the backend reach the page. */
  forwardPushes(on: boolean): void
  /** JS heap of the page after a forced GC (CDP Runtime.getHeapUsage), in bytes. */
  heapUsed(): Promise<number>
  close(): Promise<void>
}

/**
 * The built renderer (out/renderer) in Debian's Chromium through Playwright, with
 * window.keygate bound to the bench backend over the real IPC contract (as in the e2e browser
 * harness, but invokes travel as same-origin fetches: see renderer-server.ts). Waits until the
 * inbox shows its list or its empty state.
 */
export async function openRenderer(backend: BenchBackend): Promise<RendererPage> {
  const server = await serveRenderer(rendererDir, backend.handlers)
  let browser: Browser | null = null
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    const page = await context.newPage()
    // tsx names functions with an `__name` helper, and the script embeds a function's source.
    await page.addInitScript({ content: 'globalThis.__name = (target) => target' })
    await page.addInitScript({ content: benchKeygateScript })
    let forwarding = true
    const unsubscribe = backend.onPush((message) => {
      if (!forwarding) return
      page
        .evaluate(
          `performance.mark(${JSON.stringify(PUSH_MARK)}); globalThis.__keygatePush(${JSON.stringify(message.event)}, ${JSON.stringify(message.payload)})`
        )
        .catch(() => {
          // The page may be closing.
        })
    })
    await page.goto(server.url)
    await page
      .locator('[data-testid="request-list"], .list-state.empty')
      .first()
      .waitFor({ timeout: 30_000 })
    const cdp = await context.newCDPSession(page)
    const openedBrowser = browser
    return {
      page,
      cdp,
      chromiumVersion: openedBrowser.version(),
      forwardPushes: (on) => {
        forwarding = on
      },
      heapUsed: async () => {
        await cdp.send('HeapProfiler.collectGarbage')
        const usage = await cdp.send('Runtime.getHeapUsage')
        return usage.usedSize
      },
      close: async () => {
        unsubscribe()
        await openedBrowser.close()
        await server.close()
      }
    }
  } catch (error) {
    await browser?.close()
    await server.close()
    throw error
  }
}
