/**
 * A recording stand-in for the main-process `electron` module, for boot tests only: the parts
 * Keygate calls, each call recorded in order, Electron's documented rules enforced where breaking
 * them throws or misbehaves in the real thing. Shapes are checked against Electron's own types.
 */
import type { BrowserWindowConstructorOptions, NotificationConstructorOptions } from 'electron'
import type { UsedWindow } from './browser-window'
import type { UsedMessageChannel } from './message-channel'
import * as electron from './modules'
import type { Menu, NativeImage, UsedMenu, UsedNotification, UsedTray } from './shell-ui'

export * from './modules'
export default electron satisfies Partial<Record<keyof typeof import('electron'), unknown>> & {
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
  MessageChannelMain: new () => UsedMessageChannel
}

/** Fails to compile when the stand-in offers a member Electron does not have. */
type ForeignMembers = Exclude<keyof typeof electron, keyof typeof import('electron')>
export const onlyElectronMembers: [ForeignMembers] extends [never] ? true : ForeignMembers = true
