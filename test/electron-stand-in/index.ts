/**
 * A recording stand-in for the main-process `electron` module, for boot tests only: the parts
 * Keygate calls, each call recorded in order, Electron's documented rules enforced where breaking
 * them throws or misbehaves in the real thing. Shapes are checked against Electron's own types.
 */
import type { BrowserWindowConstructorOptions, NotificationConstructorOptions } from 'electron'
import { app } from './app'
import { BrowserWindow, type UsedWindow } from './browser-window'
import { ipcMain } from './ipc-main'
import { net, protocol, session } from './protocol-session'
import {
  clipboard,
  dialog,
  Menu,
  NativeImage,
  nativeImage,
  Notification,
  shell,
  Tray,
  type UsedMenu,
  type UsedNotification,
  type UsedTray
} from './shell-ui'
import { utilityProcess } from './utility-process'

const electron = {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  protocol,
  session,
  shell,
  Tray,
  utilityProcess
} satisfies Partial<Record<keyof typeof import('electron'), unknown>> & {
  BrowserWindow: new (options?: BrowserWindowConstructorOptions) => UsedWindow
  Tray: new (image: NativeImage) => UsedTray
  Notification: (new (options?: NotificationConstructorOptions) => UsedNotification) & {
    isSupported(): boolean
  }
  Menu: {
    buildFromTemplate(template: Parameters<UsedMenu['buildFromTemplate']>[0]): unknown
    setApplicationMenu(menu: Menu | null): void
  }
  nativeImage: { createFromPath(file: string): Pick<Electron.NativeImage, 'isEmpty'> }
}

export default electron
export {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  protocol,
  session,
  shell,
  Tray,
  utilityProcess
}
