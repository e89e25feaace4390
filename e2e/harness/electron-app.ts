import { _electron, type TestInfo } from '@playwright/test'
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { findElectronBinary } from './electron-binary'
import type { RunningApp } from './fixtures'

let announced = false

interface RecordedNotification {
  title: string
  body: string
  emit(event: 'click'): void
}

/** The built app (out/main) in a real Electron, when a binary exists; otherwise a printed skip. */
export async function launchElectronApp(dataDir: string, testInfo: TestInfo): Promise<RunningApp> {
  const binary = findElectronBinary()
  if ('reason' in binary) {
    if (!announced) {
      announced = true
      console.log(`electron project skipped: ${binary.reason}`)
    }
    testInfo.skip(true, `Electron e2e skipped: ${binary.reason}`)
    throw new Error('unreachable: skipped')
  }
  const electronApp = await _electron.launch({
    executablePath: binary.path,
    args: [path.resolve('.')],
    env: {
      ...process.env,
      KEYGATE_USER_DATA_DIR: dataDir,
      KEYGATE_DISABLE_SINGLE_INSTANCE: '1'
    }
  })
  // Patch the prototype: the bundled main captured the Notification class already.
  await electronApp.evaluate(({ Notification }) => {
    const shown: unknown[] = []
    ;(globalThis as unknown as { __shown: unknown[] }).__shown = shown
    Notification.isSupported = () => true
    Notification.prototype.show = function (this: unknown) {
      shown.push(this)
    }
  })
  // The save dialog answers a path in the test's folder, so an export writes a real file there.
  const exportsDir = path.join(dataDir, 'exports')
  mkdirSync(exportsDir, { recursive: true })
  await electronApp.evaluate(({ dialog }, dir) => {
    const answer = async (...args: unknown[]) => {
      const options = args.find(
        (arg): arg is { defaultPath: string } =>
          typeof arg === 'object' && arg !== null && 'defaultPath' in arg
      )
      const name = (options?.defaultPath ?? 'export').split(/[\\/]/).pop() ?? 'export'
      return { canceled: false, filePath: `${dir}/${name}` }
    }
    dialog.showSaveDialog = answer as typeof dialog.showSaveDialog
  }, exportsDir)
  const page = await electronApp.firstWindow()
  return {
    page,
    notifications: () =>
      electronApp.evaluate(() =>
        (globalThis as unknown as { __shown: RecordedNotification[] }).__shown.map((n) => ({
          title: n.title,
          body: n.body
        }))
      ),
    clipboardText: () => electronApp.evaluate(({ clipboard }) => clipboard.readText()),
    savedFiles: async () =>
      readdirSync(exportsDir)
        .map((name) => ({ name, at: statSync(path.join(exportsDir, name)).mtimeMs }))
        .sort((a, b) => a.at - b.at)
        .map(({ name }) => ({
          name,
          contents: readFileSync(path.join(exportsDir, name), 'utf8')
        })),
    clickNotification: async (index) => {
      await electronApp.evaluate((_electron, i) => {
        const shown = (globalThis as unknown as { __shown: RecordedNotification[] }).__shown
        shown[i]?.emit('click')
      }, index)
    },
    close: () => electronApp.close()
  }
}
