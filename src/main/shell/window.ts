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
}

/** The one app window, built from `mainWindowOptions`. */
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
    options.logger.error('The window could not load Keygate', {
      url: options.entryUrl,
      error: String(error)
    })
  })
  return window
}

/** Brings the window to the front, restoring it from minimised or hidden. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore()
  if (!window.isVisible()) window.show()
  window.focus()
}
