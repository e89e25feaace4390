import { chromium } from '@playwright/test'
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
import { RecordingNotifier } from './recording-notifier'
import { serveStatic } from './static-server'

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

let announcedKeychain = false

/** The real keychain when a session bus is there (CI always has one), else session memory. */
function credentialStore(): CredentialStore {
  if (process.env.DBUS_SESSION_BUS_ADDRESS) return createKeytarCredentialStore()
  if (process.env.KEYGATE_REQUIRE_KEYCHAIN === '1') {
    throw new Error('KEYGATE_REQUIRE_KEYCHAIN=1 but no session bus: run under dbus-run-session')
  }
  if (!announcedKeychain) {
    announcedKeychain = true
    console.log('e2e: no session bus, so profiles keep their secret in session memory (no keychain)')
  }
  return createMemoryCredentialStore()
}

/**
 * The built renderer in Debian's Chromium, with window.keygate bound to a real AppCore running
 * in this process against real emulators over HTTP (design §2, browser harness).
 */
export async function launchBrowserApp(dataDir: string): Promise<RunningApp> {
  const notifier = new RecordingNotifier()
  const core = createAppCore({
    stores: createConfStoreFactory(path.join(dataDir, 'stores')),
    credentials: credentialStore(),
    notifier,
    logger: createLogger(() => {}),
    userName: 'e2e-admin',
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
  const server = await serveStatic(path.resolve('out/renderer'))
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  const page = await context.newPage()
  await page.exposeBinding('__keygateInvoke', async (source, channel: InvokeChannel, args) => {
    if (source.frame !== page.mainFrame()) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted frame', retryable: false } }
    }
    return dispatchInvoke(core.handlers, channel, args)
  })
  await page.addInitScript({ content: browserKeygateScript })
  const unsubscribe = core.onPush((message) => {
    page
      .evaluate(
        ([event, payload]) =>
          (globalThis as unknown as { __keygatePush?(e: unknown, p: unknown): void }).__keygatePush?.(
            event,
            payload
          ),
        [message.event, message.payload] as const
      )
      .catch(() => {
        // The page may be navigating or closed; the renderer re-reads state when it loads.
      })
  })
  await page.goto(server.url)
  return {
    page,
    notifications: async () => notifier.shown.map(({ title, body }) => ({ title, body })),
    clickNotification: async (index) => {
      const shown = notifier.shown[index]
      if (!shown) throw new Error(`no notification #${index}; ${notifier.shown.length} shown`)
      shown.onClick()
    },
    close: async () => {
      unsubscribe()
      const profiles = await core.handlers['profiles:list'](undefined)
      for (const profile of profiles) await core.handlers['profiles:delete']({ id: profile.id })
      await core.stop()
      await browser.close()
      await server.close()
    }
  }
}
