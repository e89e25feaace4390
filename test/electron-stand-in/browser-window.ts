import type {
  BrowserWindow as ElectronBrowserWindow,
  BrowserWindowConstructorOptions,
  HandlerDetails,
  IpcMainInvokeEvent,
  WebContents as ElectronWebContents,
  WindowOpenHandlerResponse
} from 'electron'
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { app, cancelableEvent, quitClosers } from './app'
import { ipcMain } from './ipc-main'
import { protocol } from './protocol-session'
import { recorder } from './recorder'
import { RendererWorld } from './renderer-world'

let nextId = 1

function destroyedGuard(label: string, isDestroyed: () => boolean): () => void {
  return () => {
    // Electron's wording for any call on a destroyed window or WebContents.
    if (isDestroyed()) throw new TypeError(`Object has been destroyed (${label})`)
  }
}

export class WebContents extends EventEmitter {
  readonly id = nextId++
  readonly standInLabel: string
  private url = ''
  private loading = false
  private destroyed = false
  private openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null
  /** The page currently shown: a fresh world per load, as each document gets its own. */
  world: RendererWorld | null = null
  private readonly alive: () => void

  constructor(
    private readonly preferences: NonNullable<BrowserWindowConstructorOptions['webPreferences']>
  ) {
    super()
    this.standInLabel = `webContents#${this.id}`
    this.alive = destroyedGuard(this.standInLabel, () => this.destroyed)
  }

  private record(method: string, args: unknown[]): void {
    recorder.record(`${this.standInLabel}.${method}`, args)
  }

  getURL(): string {
    this.alive()
    return this.url
  }

  isLoading(): boolean {
    this.alive()
    return this.loading
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  send(channel: string, ...args: unknown[]): void {
    this.record('send', [channel, ...args])
    this.alive()
    // Electron serialises with the structured clone algorithm and throws on what it cannot copy.
    const copies = structuredClone(args)
    const world = this.world
    setImmediate(() => world?.deliver(channel, copies))
  }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.record('setWindowOpenHandler', [handler])
    this.alive()
    this.openHandler = handler
  }

  /** The page called `window.open(url)`: what the handler decided. */
  windowOpen(url: string): WindowOpenHandlerResponse {
    this.alive()
    const details = {
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: this.url, policy: 'strict-origin-when-cross-origin' },
      postBody: undefined
    } as unknown as HandlerDetails
    return this.openHandler ? this.openHandler(details) : { action: 'allow' }
  }

  /** The page navigated itself (a link, `location =`): `will-navigate` may prevent it. */
  navigate(url: string): boolean {
    this.alive()
    const event = cancelableEvent({
      url,
      isSameDocument: false,
      isMainFrame: true,
      frame: null,
      initiator: null
    })
    this.emit('will-navigate', event, url, false, true)
    if (event.defaultPrevented) return false
    this.url = url
    this.world = null
    return true
  }

  async loadURL(url: string): Promise<void> {
    this.record('loadURL', [url])
    this.alive()
    this.url = url
    this.loading = true
    this.world = null
    let response: Response
    try {
      response = await protocol.request(url)
    } catch (error) {
      this.loading = false
      this.emit('did-fail-load', cancelableEvent({}), -6, String(error), url, true)
      throw error
    }
    if (!response.ok) {
      this.loading = false
      this.emit('did-fail-load', cancelableEvent({}), -6, `HTTP ${response.status}`, url, true)
      throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`)
    }
    this.startPage()
    this.loading = false
    this.emit('dom-ready', cancelableEvent({}))
    this.emit('did-finish-load', cancelableEvent({}))
  }

  private startPage(): void {
    const world = new RendererWorld(
      {
        standInLabel: this.standInLabel,
        invokeMain: (channel, args) => ipcMain.invoke(channel, this.invokeEvent(), args)
      },
      this.preferences.contextIsolation !== false
    )
    this.world = world
    const preload = this.preferences.preload
    if (!preload) return
    if (!path.isAbsolute(preload) || !existsSync(preload)) {
      this.emit('preload-error', cancelableEvent({}), preload, new Error(`ENOENT: ${preload}`))
      return
    }
    try {
      if (this.preferences.sandbox !== true)
        throw new Error('the stand-in runs sandboxed preloads only')
      world.runSandboxedPreload(preload)
    } catch (error) {
      this.emit('preload-error', cancelableEvent({}), preload, error)
    }
  }

  /** The event main's `ipcMain.handle` listener gets for a call from this page's top frame. */
  invokeEvent(
    frame: { url: string; parent: unknown } = { url: this.url, parent: null }
  ): IpcMainInvokeEvent {
    return {
      sender: this,
      senderFrame: { ...frame, top: null, origin: new URL(frame.url).origin },
      processId: 1,
      frameId: 1,
      type: 'frame'
    } as unknown as IpcMainInvokeEvent
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.world = null
    this.emit('destroyed', cancelableEvent({}))
  }
}

const openWindows = new Set<BrowserWindow>()

export class BrowserWindow extends EventEmitter {
  readonly id: number
  readonly standInLabel: string
  readonly webContents: WebContents
  readonly options: BrowserWindowConstructorOptions
  private destroyed = false
  private visible = false
  private minimized = false
  private focused = false
  private readonly alive: () => void

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super()
    this.id = nextId++
    this.standInLabel = `BrowserWindow#${this.id}`
    recorder.record('new BrowserWindow', [options])
    if (!recorder.ready) throw new Error('Cannot create BrowserWindow before app is ready')
    this.options = options
    this.alive = destroyedGuard(this.standInLabel, () => this.destroyed)
    this.webContents = new WebContents(options.webPreferences ?? {})
    this.visible = options.show !== false
    openWindows.add(this)
    quitClosers.add(this.closeForQuit)
    app.emit('web-contents-created', cancelableEvent({}), this.webContents)
    this.webContents.on('did-finish-load', () => {
      if (!this.destroyed) this.emit('ready-to-show', cancelableEvent({}))
    })
  }

  static getAllWindows(): BrowserWindow[] {
    return [...openWindows]
  }

  static getFocusedWindow(): BrowserWindow | null {
    return [...openWindows].find((window) => window.isFocused()) ?? null
  }

  private record(method: string, args: unknown[] = []): void {
    recorder.record(`${this.standInLabel}.${method}`, args)
  }

  loadURL(url: string): Promise<void> {
    this.record('loadURL', [url])
    this.alive()
    return this.webContents.loadURL(url)
  }

  show(): void {
    this.record('show')
    this.alive()
    this.visible = true
    this.minimized = false
    this.setFocused(true)
  }

  hide(): void {
    this.record('hide')
    this.alive()
    this.visible = false
    this.setFocused(false)
  }

  minimize(): void {
    this.record('minimize')
    this.alive()
    this.minimized = true
    this.setFocused(false)
  }

  restore(): void {
    this.record('restore')
    this.alive()
    this.minimized = false
  }

  focus(): void {
    this.record('focus')
    this.alive()
    this.setFocused(true)
  }

  private setFocused(focused: boolean): void {
    if (focused === this.focused) return
    this.focused = focused
    this.emit(focused ? 'focus' : 'blur', cancelableEvent({}))
  }

  isVisible(): boolean {
    this.alive()
    return this.visible
  }

  isMinimized(): boolean {
    this.alive()
    return this.minimized
  }

  isFocused(): boolean {
    this.alive()
    return this.focused
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  /** The user closes the window: `close` may be prevented; otherwise it is gone for good. */
  close(): void {
    this.record('close')
    this.alive()
    if (this.closeWindow() && openWindows.size === 0) {
      // Electron quits by itself when nobody listens for window-all-closed.
      if (app.listenerCount('window-all-closed') === 0) app.quit()
      else app.emit('window-all-closed', cancelableEvent({}))
    }
  }

  destroy(): void {
    this.record('destroy')
    if (this.destroyed) return
    this.finishClose()
  }

  private readonly closeForQuit = (): boolean => this.closeWindow()

  private closeWindow(): boolean {
    const event = cancelableEvent({})
    this.emit('close', event)
    if (event.defaultPrevented) return false
    this.finishClose()
    return true
  }

  private finishClose(): void {
    this.destroyed = true
    this.visible = false
    openWindows.delete(this)
    quitClosers.delete(this.closeForQuit)
    this.webContents.destroy()
    this.emit('closed', cancelableEvent({}))
  }
}

/** The members Keygate uses, as Electron declares them: the stand-in must match these. */
export type UsedWindow = Pick<
  ElectronBrowserWindow,
  | 'loadURL'
  | 'show'
  | 'hide'
  | 'minimize'
  | 'restore'
  | 'focus'
  | 'isVisible'
  | 'isMinimized'
  | 'isFocused'
  | 'isDestroyed'
  | 'close'
  | 'destroy'
  | 'id'
> & {
  webContents: Pick<
    ElectronWebContents,
    'getURL' | 'isLoading' | 'isDestroyed' | 'send' | 'setWindowOpenHandler' | 'loadURL' | 'id'
  >
}
