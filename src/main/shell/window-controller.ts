import type { BrowserWindow, WebContents } from 'electron'
import { createMainWindow, revealWindow, type MainWindowOptions } from './window'

export interface WindowController {
  /** Shows and focuses the window, creating it if it was closed (macOS keeps running). */
  show(): void
  /** The window's contents when it exists, has not been destroyed and has finished loading. */
  loadedContents(): WebContents | null
  /** The window's contents when it exists and has not been destroyed. */
  contents(): WebContents | null
}

/** Owns the single main window across close and reopen. */
export function createWindowController(options: MainWindowOptions): WindowController {
  let window: BrowserWindow | null = null
  const contents = (): WebContents | null =>
    window && !window.isDestroyed() && !window.webContents.isDestroyed() ? window.webContents : null
  return {
    show() {
      if (window && !window.isDestroyed()) {
        revealWindow(window)
        return
      }
      const created = createMainWindow(options)
      created.on('closed', () => {
        if (window === created) window = null
      })
      window = created
    },
    contents,
    loadedContents() {
      const current = contents()
      return current && !current.isLoading() ? current : null
    }
  }
}
