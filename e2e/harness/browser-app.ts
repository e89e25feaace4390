import { chromium, type Browser, type Page } from '@playwright/test'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { startEmulator } from '../../emulator'
import { createKeytarCredentialStore } from '../../src/main/adapters/keytar-credential-store'
import { createAppCore } from '../../src/main/core/app-core'
import { createMemoryCredentialStore } from '../../src/main/core/profiles/memory-credential-store'
import { createConfStoreFactory } from '../../src/main/core/storage/conf-store'
import { createLogger } from '../../src/main/core/logging/logger'
import { dispatchInvoke } from '../../src/main/ipc/dispatch'
import type { CredentialStore } from '../../src/main/core/ports'
import type { InvokeChannel } from '../../src/shared/ipc'
import { browserKeygateScript } from './browser-keygate'
import type { RunningApp } from './fixtures'
import { chromiumPath, headlessChromiumArgs } from './chromium'
import { FakeClipboard } from '../../src/main/core/testing/fake-clipboard'
import { RecordingNotifier } from '../../src/main/core/testing/recording-notifier'
import { serveStatic } from './static-server'

let announcedKeychain = false

function announceKeychain(line: string): void {
  if (announcedKeychain) return
  announcedKeychain = true
  console.log(line)
}

/**
 * The real keychain when a session bus is there (CI always has one), else session memory.
 * KEYGATE_REQUIRE_KEYCHAIN=1 turns a missing or unusable keychain into a failure, so a CI run
 * cannot quietly fall back to memory.
 */
async function credentialStore(): Promise<CredentialStore> {
  const required = process.env.KEYGATE_REQUIRE_KEYCHAIN === '1'
  if (process.env.DBUS_SESSION_BUS_ADDRESS) {
    const keychain = createKeytarCredentialStore()
    const status = await keychain.status()
    if (!status.available && required) {
      throw new Error(`KEYGATE_REQUIRE_KEYCHAIN=1 but the keychain is unusable: ${status.message}`)
    }
    announceKeychain(
      status.available
        ? 'e2e: profile secrets go to the system keychain (Secret Service on the session bus)'
        : `e2e: the keychain does not answer, so the app offers session-only secrets: ${status.message}`
    )
    return keychain
  }
  if (required) {
    throw new Error('KEYGATE_REQUIRE_KEYCHAIN=1 but no session bus: run under dbus-run-session')
  }
  announceKeychain(
    'e2e: no session bus, so profiles keep their secret in session memory (no keychain)'
  )
  return createMemoryCredentialStore()
}

/**
 * The built renderer in Debian's Chromium, with window.keygate bound to a real AppCore running in
 * this process against real emulators over HTTP (docs/architecture.md#ipc: one dispatch, two
 * bindings).
 */
export async function launchBrowserApp(dataDir: string): Promise<RunningApp> {
  const rendererDir = path.resolve('out/renderer')
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir}: run \`npx electron-vite build\` first`)
  }
  const notifier = new RecordingNotifier()
  // Main's clipboard, in memory: a test must not read or clobber the machine's own.
  const clipboard = new FakeClipboard()
  const core = createAppCore({
    stores: createConfStoreFactory(path.join(dataDir, 'stores')),
    credentials: await credentialStore(),
    notifier,
    clipboard,
    logger: createLogger(() => {}),
    userName: 'e2e-admin',
    // Specs decide at once unless they set an undo window in Settings, as the admin would.
    tuning: { undoSeconds: 0 },
    startDemoPortal: () =>
      startEmulator({
        port: 0,
        secret: `demo-${Math.random().toString(16).slice(2)}`,
        seed: 7,
        seedPending: 25,
        seedApproved: 10
      })
  })
  await core.start()
  const server = await serveStatic(rendererDir)
  let browser: Browser | null = null
  let unsubscribe: () => void = () => {}
  const shutdown = async (): Promise<void> => {
    unsubscribe()
    await core.stop()
    await browser?.close()
    await server.close()
  }
  let page: Page
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: headlessChromiumArgs })
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    const appPage = await context.newPage()
    page = appPage
    await page.exposeBinding('__keygateInvoke', async (source, channel: InvokeChannel, args) => {
      if (source.frame !== appPage.mainFrame()) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'Untrusted frame', retryable: false }
        }
      }
      return dispatchInvoke(core.handlers, channel, args)
    })
    await page.addInitScript({ content: browserKeygateScript })
    unsubscribe = core.onPush((message) => {
      appPage
        .evaluate(
          ([event, payload]) =>
            (
              globalThis as unknown as { __keygatePush?(e: unknown, p: unknown): void }
            ).__keygatePush?.(event, payload),
          [message.event, message.payload] as const
        )
        .catch(() => {
          // The page may be navigating or closed; the renderer re-reads state when it loads.
        })
    })
    await page.goto(server.url)
  } catch (e) {
    // Nothing of a half-started app may outlive the failure (ports, the demo portal, Chromium).
    await shutdown()
    throw e
  }
  return {
    page,
    notifications: async () => notifier.shown.map(({ title, body }) => ({ title, body })),
    clipboardText: () => clipboard.readText(),
    clickNotification: async (index) => {
      const shown = notifier.shown[index]
      if (!shown) throw new Error(`no notification #${index}; ${notifier.shown.length} shown`)
      shown.onClick()
    },
    close: async () => {
      // Deleting the profiles takes their secrets out of the keychain again.
      const profiles = await core.handlers['profiles:list'](undefined)
      for (const profile of profiles)
        await core.handlers['profiles:delete']({ id: profile.id, pendingActions: 'cancel' })
      await shutdown()
    }
  }
}
