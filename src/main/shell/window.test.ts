import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { app, cancelableEvent } from '../../../test/electron-stand-in/app'
import { BrowserWindow, type WebContents } from '../../../test/electron-stand-in/browser-window'
import { protocol } from '../../../test/electron-stand-in/protocol-session'
import { recorder } from '../../../test/electron-stand-in/recorder'
import { RecordingLogger } from '../core/testing/recording-logger'
import { createWindowController } from './window-controller'
import { createMainWindow, revealWindow, type MainWindowOptions } from './window'

// The window code against the recording stand-in of `electron` (test/electron-stand-in/).
vi.mock('electron', () => import('../../../test/electron-stand-in/index'))

const logger = new RecordingLogger()
const focused: number[] = []
const loadFailures: Error[] = []

function windowOptions(overrides: Partial<MainWindowOptions> = {}): MainWindowOptions {
  return {
    preloadPath: '',
    entryUrl: 'page://keygate/index.html',
    iconPath: '/app/icon.png',
    devTools: false,
    logger,
    onFocus: () => focused.push(focused.length + 1),
    onLoadFailed: (error) => loadFailures.push(error),
    ...overrides
  }
}

/** Resolves once the window's page has loaded (or failed to). */
function loaded(contents: WebContents): Promise<void> {
  return new Promise((resolve) => {
    contents.once('did-finish-load', () => resolve())
    contents.once('did-fail-load', () => resolve())
  })
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

/** The calls the stand-in recorded on one window since `from`. */
function callsOn(window: { standInLabel: string }, from: number): string[] {
  return recorder.calls
    .slice(from)
    .filter((r) => r.call.startsWith(`${window.standInLabel}.`))
    .map((r) => r.call.slice(window.standInLabel.length + 1))
}

beforeAll(() => {
  app.emitReady()
  protocol.handle('page', () => new Response('<!doctype html><title>Keygate</title>'))
  protocol.handle('refusing', () => {
    throw 'refused by the handler'
  })
})

beforeEach(() => {
  logger.lines.length = 0
  focused.length = 0
  loadFailures.length = 0
  for (const window of BrowserWindow.getAllWindows()) window.destroy()
})

describe('createMainWindow', () => {
  it('builds the window from the security baseline, hidden until its page is ready, then shows it', async () => {
    const window = createMainWindow(windowOptions()) as unknown as BrowserWindow
    expect(window.options.show).toBe(false)
    expect(window.options.webPreferences?.sandbox).toBe(true)
    expect(window.isVisible()).toBe(false)
    expect(callsOn(window, 0)).toContain('loadURL')
    await loaded(window.webContents)
    expect(window.isVisible()).toBe(true)
    expect(window.webContents.getURL()).toBe('page://keygate/index.html')
    expect(loadFailures).toEqual([])
  })

  it('reports every focus of the window', async () => {
    const window = createMainWindow(windowOptions()) as unknown as BrowserWindow
    await loaded(window.webContents)
    expect(focused).toEqual([1])
    window.minimize()
    window.focus()
    expect(focused).toEqual([1, 2])
  })

  it('logs a renderer that stopped, with its reason and exit code', () => {
    const window = createMainWindow(windowOptions()) as unknown as BrowserWindow
    window.webContents.emit('render-process-gone', cancelableEvent({}), {
      reason: 'crashed',
      exitCode: 139
    })
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/renderer/),
        data: { reason: 'crashed', exitCode: 139 }
      }
    ])
  })

  it('logs a preload script that failed, with its path and error', async () => {
    const window = createMainWindow(
      windowOptions({ preloadPath: '/nowhere/preload.cjs' })
    ) as unknown as BrowserWindow
    await loaded(window.webContents)
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/preload/),
        data: { preloadPath: '/nowhere/preload.cjs', error: 'ENOENT: /nowhere/preload.cjs' }
      }
    ])
  })

  it('reports a page that cannot load at all, saying which URL and why', async () => {
    const window = createMainWindow(
      windowOptions({ entryUrl: 'nowhere://keygate/index.html' })
    ) as unknown as BrowserWindow
    await loaded(window.webContents)
    await settle()
    expect(loadFailures.map((error) => error.message)).toEqual([
      "The window could not load nowhere://keygate/index.html: net::ERR_UNKNOWN_URL_SCHEME loading 'nowhere://keygate/index.html'"
    ])
    expect(window.isVisible()).toBe(false)
  })

  it('reports a load rejected with something other than an Error by its text', async () => {
    const window = createMainWindow(
      windowOptions({ entryUrl: 'refusing://keygate/index.html' })
    ) as unknown as BrowserWindow
    await loaded(window.webContents)
    await settle()
    expect(loadFailures.map((error) => error.message)).toEqual([
      'The window could not load refusing://keygate/index.html: refused by the handler'
    ])
  })
})

describe('revealWindow', () => {
  async function shownWindow(): Promise<BrowserWindow> {
    const window = createMainWindow(windowOptions()) as unknown as BrowserWindow
    await loaded(window.webContents)
    return window
  }

  it('restores a minimised window and focuses it', async () => {
    const window = await shownWindow()
    window.minimize()
    const from = recorder.calls.length
    revealWindow(window as never)
    expect(window.isMinimized()).toBe(false)
    expect(window.isFocused()).toBe(true)
    expect(callsOn(window, from)).toEqual(['restore', 'focus'])
  })

  it('shows a hidden window and focuses it', async () => {
    const window = await shownWindow()
    window.hide()
    const from = recorder.calls.length
    revealWindow(window as never)
    expect(window.isVisible()).toBe(true)
    expect(callsOn(window, from)).toEqual(['show', 'focus'])
  })

  it('only focuses a window that is already shown', async () => {
    const window = await shownWindow()
    const from = recorder.calls.length
    revealWindow(window as never)
    expect(callsOn(window, from)).toEqual(['focus'])
  })
})

describe('createWindowController', () => {
  it('has no contents before the window is first shown', () => {
    const controller = createWindowController(windowOptions())
    expect(controller.contents()).toBeNull()
    expect(controller.loadedContents()).toBeNull()
    expect(BrowserWindow.getAllWindows()).toEqual([])
  })

  it('creates the window once, offers its contents, and loaded contents only after the load', async () => {
    const controller = createWindowController(windowOptions())
    controller.show()
    const [window] = BrowserWindow.getAllWindows()
    if (!window) throw new Error('no window was created')
    expect(controller.contents()).toBe(window.webContents)
    expect(controller.loadedContents()).toBeNull()
    await loaded(window.webContents)
    expect(controller.loadedContents()).toBe(window.webContents)
    window.hide()
    controller.show()
    expect(BrowserWindow.getAllWindows()).toEqual([window])
    expect(window.isVisible()).toBe(true)
  })

  it('drops a closed window and creates a new one on the next show', async () => {
    const controller = createWindowController(windowOptions())
    controller.show()
    const [first] = BrowserWindow.getAllWindows()
    if (!first) throw new Error('no window was created')
    await loaded(first.webContents)
    first.destroy()
    expect(controller.contents()).toBeNull()
    expect(controller.loadedContents()).toBeNull()
    controller.show()
    const [second] = BrowserWindow.getAllWindows()
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
    expect(controller.contents()).toBe(second?.webContents)
  })

  it('offers no contents once the page itself is gone, though the window stays', async () => {
    const controller = createWindowController(windowOptions())
    controller.show()
    const [window] = BrowserWindow.getAllWindows()
    if (!window) throw new Error('no window was created')
    await loaded(window.webContents)
    window.webContents.destroy()
    expect(window.isDestroyed()).toBe(false)
    expect(controller.contents()).toBeNull()
    expect(controller.loadedContents()).toBeNull()
  })
})
