import { test as base, type Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startEmulator, type RunningEmulator } from '../../emulator'
import { launchBrowserApp } from './browser-app'
import { launchElectronApp } from './electron-app'

export const adminSecret = 'e2e-admin-secret-7f3a'

/** A file an export saved where the (stand-in) save dialog pointed it. */
export interface SavedFile {
  name: string
  contents: string
}

export interface ShownNotification {
  title: string
  body: string
}

/** What a spec drives, whichever way the app runs (browser harness or real Electron). */
export interface KeygateTestApp {
  page: Page
  /** A portal of the test's own, separate from the demo portal. */
  portal: RunningEmulator
  notifications(): Promise<ShownNotification[]>
  clickNotification(index: number): Promise<void>
  /** The text on main's clipboard, where Copy in the key dialog puts a credential. */
  clipboardText(): Promise<string>
  /** Files exports saved, oldest first: the save dialog answers a path in a test folder. */
  savedFiles(): Promise<SavedFile[]>
  screenshot(name: string): Promise<string>
}

export interface RunningApp {
  page: Page
  notifications(): Promise<ShownNotification[]>
  clickNotification(index: number): Promise<void>
  clipboardText(): Promise<string>
  savedFiles(): Promise<SavedFile[]>
  close(): Promise<void>
}

const artifactsDir = path.resolve('e2e/artifacts')

export const test = base.extend<{ app: KeygateTestApp }>({
  // Playwright reads a fixture's dependencies from this pattern: it must be an object one.
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use, testInfo) => {
    const mode = testInfo.project.metadata.mode as 'browser' | 'electron'
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keygate-e2e-'))
    let running: RunningApp | null = null
    let portal: RunningEmulator | null = null
    try {
      // The app first: a skipped Electron run then starts no portal for nothing.
      running =
        mode === 'electron'
          ? await launchElectronApp(dataDir, testInfo)
          : await launchBrowserApp(dataDir)
      portal = await startEmulator({
        port: 0,
        secret: adminSecret,
        seed: 11,
        seedPending: 6,
        seedApproved: 3
      })
      const { page } = running
      // An uncaught error in the renderer fails the test even when the screen looks right.
      const pageErrors: string[] = []
      page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message))
      const app: KeygateTestApp = {
        page,
        portal,
        notifications: running.notifications,
        clickNotification: running.clickNotification,
        clipboardText: running.clipboardText,
        savedFiles: running.savedFiles,
        screenshot: async (name) => {
          const file = path.join(artifactsDir, `${testInfo.project.name}-${name}.png`)
          await page.screenshot({ path: file })
          await testInfo.attach(name, { path: file, contentType: 'image/png' })
          return file
        }
      }
      await use(app)
      if (pageErrors.length > 0) {
        throw new Error(`the renderer threw uncaught errors:\n${pageErrors.join('\n')}`)
      }
    } finally {
      await running?.close()
      await portal?.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
})

export { expect } from '@playwright/test'
