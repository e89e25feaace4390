import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The main window's construction options, with the Electron security baseline spelled out rather
 * than left to defaults: an isolated, sandboxed renderer without Node, webviews or insecure content.
 */
export function mainWindowOptions(options: {
  preloadPath: string
  iconPath: string
  devTools: boolean
}): BrowserWindowConstructorOptions {
  return {
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
  }
}
