/** Every member the stand-in offers, under Electron's names (see ./index.ts). */
export { app } from './app'
export { BrowserWindow } from './browser-window'
export { ipcMain } from './ipc-main'
export { MessageChannelMain } from './message-channel'
export { net, protocol, session } from './protocol-session'
export {
  clipboard,
  ClipboardItem,
  dialog,
  Menu,
  nativeImage,
  Notification,
  shell,
  Tray
} from './shell-ui'
export { utilityProcess } from './utility-process'
