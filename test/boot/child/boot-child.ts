/**
 * The app's process in a boot test: `electron` resolves to the stand-in, the built main bundle is
 * evaluated, then `ready` is emitted as Electron does once the entry has loaded. The test drives
 * the app through Node IPC (see ./commands.ts).
 */
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
import { app, onProcessExit } from '../../electron-stand-in/app'
import { BrowserWindow, type WebContents } from '../../electron-stand-in/browser-window'
import { ipcMain } from '../../electron-stand-in/ipc-main'
import { protocol, session } from '../../electron-stand-in/protocol-session'
import { recorder } from '../../electron-stand-in/recorder'
import { Menu, Notification, Tray } from '../../electron-stand-in/shell-ui'
import type { BootCommand, ChildMessage, FetchAnswer, WindowState } from './commands'

const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })

const mainBundle = process.argv[2]
if (!mainBundle) throw new Error('usage: boot-child <out/main/index.js>')

onProcessExit((code) => send({ type: 'exit', code, records: recorder.calls }))

function currentWindow(): BrowserWindow | null {
  return BrowserWindow.getAllWindows()[0] ?? null
}

function contents(): WebContents {
  const window = currentWindow()
  if (!window) throw new Error('no window is open')
  return window.webContents
}

function page(): Record<string, unknown> {
  const world = contents().world
  if (!world) throw new Error('the window shows no page')
  return Object.fromEntries(world.mainWorld)
}

function keygate(): Record<string, (...args: unknown[]) => unknown> {
  const api = page().keygate
  if (!api) throw new Error('the page has no window.keygate')
  return api as Record<string, (...args: unknown[]) => unknown>
}

const pageEvents: { event: string; payload: unknown }[] = []

function windowState(): WindowState {
  const window = currentWindow()
  return {
    exists: window !== null,
    count: BrowserWindow.getAllWindows().length,
    url: window ? window.webContents.getURL() : null,
    loading: window ? window.webContents.isLoading() : false,
    visible: window ? window.isVisible() : false,
    focused: window ? window.isFocused() : false,
    minimized: window ? window.isMinimized() : false,
    options: window?.options ?? null
  }
}

async function fetchAnswer(url: string, method = 'GET'): Promise<FetchAnswer> {
  const response = await protocol.request(url, { method })
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: Buffer.from(await response.arrayBuffer()).toString('base64')
  }
}

async function run(command: BootCommand): Promise<unknown> {
  switch (command.op) {
    case 'records':
      return recorder.calls
    case 'handledChannels':
      return ipcMain.channels()
    case 'invoke': {
      const frameUrl = command.frameUrl ?? contents().getURL()
      const event = contents().invokeEvent({
        url: frameUrl,
        parent: command.subframe ? { url: frameUrl } : null
      })
      return ipcMain.invoke(command.channel, event, [command.args])
    }
    case 'fetch':
      return fetchAnswer(command.url, command.method)
    case 'window':
      return windowState()
    case 'windowAction': {
      const window = currentWindow()
      if (!window) throw new Error('no window is open')
      window[command.action]()
      return windowState()
    }
    case 'navigate':
      return contents().navigate(command.url)
    case 'windowOpen':
      return contents().windowOpen(command.url)
    case 'headers':
      return new Promise((resolve) => {
        const listener = session.defaultSession.headersListener
        if (!listener) throw new Error('no onHeadersReceived listener')
        listener(
          { url: command.url, responseHeaders: command.responseHeaders } as never,
          (response) => resolve(response)
        )
      })
    case 'permission':
      return new Promise((resolve) => {
        const handler = session.defaultSession.permissionRequestHandler
        if (!handler) throw new Error('no permission request handler')
        handler(contents() as never, command.permission as never, resolve, {
          requestingUrl: command.requestingUrl
        } as never)
      })
    case 'permissionCheck': {
      const handler = session.defaultSession.permissionCheckHandler
      if (!handler) throw new Error('no permission check handler')
      return handler(contents() as never, command.permission as never, command.requestingOrigin, {
        requestingUrl: `${command.requestingOrigin}/`
      } as never)
    }
    case 'pageKeys':
      return { window: Object.keys(page()), keygate: Object.keys(keygate()) }
    case 'pageCall': {
      const fn = keygate()[command.channel]
      if (typeof fn !== 'function') throw new Error(`window.keygate has no ${command.channel}`)
      return fn(command.args)
    }
    case 'pageSubscribe':
      keygate().on?.(command.event, (payload: unknown) => {
        pageEvents.push({ event: command.event, payload })
      })
      return null
    case 'pageEvents':
      return pageEvents
    case 'notifications':
      return Notification.shown.map((n) => ({ title: n.title, body: n.body }))
    case 'clickNotification': {
      const shown = Notification.shown[command.index]
      if (!shown) throw new Error(`no notification #${command.index}`)
      recorder.record('<notification click>', [command.index])
      shown.emit('click', { preventDefault() {} })
      return null
    }
    case 'tray': {
      const tray = Tray.live.at(-1)
      if (!tray) return null
      return {
        toolTip: tray.toolTip,
        title: tray.title,
        imageEmpty: typeof tray.image === 'string' ? null : tray.image.isEmpty(),
        menu: tray.contextMenu?.items.map((item) => item.label ?? item.type ?? '') ?? [],
        destroyed: tray.isDestroyed()
      }
    }
    case 'trayMenuClick': {
      const menu = Tray.live.at(-1)?.contextMenu
      if (!menu) throw new Error('the tray has no menu')
      menu.click(command.label)
      return null
    }
    case 'menuClick': {
      if (!Menu.applicationMenu) throw new Error('no application menu')
      Menu.applicationMenu.click(command.id)
      return null
    }
    case 'quit':
      app.quit()
      return null
  }
}

process.on('message', (raw: { id: number; command: BootCommand }) => {
  run(raw.command).then(
    (value) => send({ type: 'reply', id: raw.id, ok: true, value: value ?? null }),
    (error: unknown) =>
      send({
        type: 'reply',
        id: raw.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error)
      })
  )
})
// Like Electron, the app runs until it quits; a test that went away takes it along.
process.on('disconnect', () => process.exit(0))

register(new URL('../../electron-stand-in/resolve-hook.mjs', import.meta.url))
await import(pathToFileURL(mainBundle).href)
app.emitReady()
