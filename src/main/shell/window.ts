import { BrowserWindow } from 'electron'
import type { Logger } from '../core/ports'

export interface MainWindowOptions {
  preloadPath: string
  /** `app://keygate/index.html` in production, the dev server URL in development. */
  entryUrl: string
  iconPath: string
  devTools: boolean
  logger: Logger
  onFocus: () => void
}

/** The one app window, with the security baseline of design §6 spelled out rather than implied. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    // The narrow layout holds down to 640 x 400 CSS pixels (e2e/specs/layout.spec.ts); a little
    // more leaves room for the menu bar.
    minWidth: 640,
    minHeight: 440,
    show: false,
    title: 'Keygate',
    icon: options.iconPath,
    autoHideMenuBar: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devTools
    }
  })
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
