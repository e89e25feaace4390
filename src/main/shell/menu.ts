import { Menu } from 'electron'
import { appMenuTemplate, type MenuActions } from './menu-template'

/** Installs the application menu. */
export function installAppMenu(options: { isDev: boolean; actions: MenuActions }): void {
  const template = appMenuTemplate({ ...options, isMac: process.platform === 'darwin' })
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
