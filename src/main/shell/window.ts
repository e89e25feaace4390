import { BrowserWindow } from 'electron'
import type { Logger } from '../core/ports'
import { mainWindowOptions } from './window-options'

export interface MainWindowOptions {
  preloadPath: string
  /** `app://keygate/index.html` in production, the dev server URL in development. */
  entryUrl: string
  iconPath: string
  devTools: boolean
  logger: Logger
  onFocus: () => void
  /** The page could not be loaded at all: the window would stay hidden for good. */
  onLoadFailed: (error: Error) => void
}

/**
 * The one app window, built from `mainWindowOptions` (the security baseline of
 * docs/architecture.md#security, spelled out there rather than implied).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options))
  window.once('ready-to-show', () => window.show())
  window.on('focus', options.onFocus)
  window.webContents.on('render-process-gone', (_event, details) => {
    options.logger.error('The window’s renderer stopped', {
      reason: details.reason,
      exitCode: details.exitCode
    })
  })
  window.webContents.on('preload-error', (_event, preloadPath, error) => {
    options.logger.error('The preload script failed', { preloadPath, error: error.message })
  })
  window.loadURL(options.entryUrl).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error)
    options.onLoadFailed(new Error(`The window could not load ${options.entryUrl}: ${reason}`))
  })
  return window
}

/** Brings the window to the front, restoring it from minimised or hidden. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore()
  if (!window.isVisible()) window.show()
  window.focus()
}
