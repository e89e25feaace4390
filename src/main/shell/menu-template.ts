import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  addPortal(): void
  about(): void
}

/**
 * The application menu as data (testable without Electron). Reload and DevTools exist only in
 * development; production keeps zoom and full screen.
 */
export function appMenuTemplate(options: {
  isDev: boolean
  isMac: boolean
  actions: MenuActions
}): MenuItemConstructorOptions[] {
  const { isDev, isMac, actions } = options
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      {
        id: 'add-portal',
        label: 'Add Portal…',
        accelerator: 'CmdOrCtrl+N',
        click: actions.addPortal
      },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' }
    ]
  }
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' }
    ]
  }
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(isDev
        ? ([
            { role: 'reload' },
            { role: 'toggleDevTools' },
            { type: 'separator' }
          ] satisfies MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  }
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [{ id: 'about', label: 'About Keygate', click: actions.about }]
  }
  return [...(isMac ? [{ role: 'appMenu' } as const] : []), file, edit, view, help]
}
