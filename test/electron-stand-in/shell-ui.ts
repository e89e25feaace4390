import type {
  Clipboard,
  Dialog,
  Menu as ElectronMenu,
  MenuItemConstructorOptions,
  Notification as ElectronNotification,
  NotificationConstructorOptions,
  Shell,
  Tray as ElectronTray
} from 'electron'
import { EventEmitter } from 'node:events'
import { closeSync, openSync, readSync } from 'node:fs'
import { cancelableEvent } from './app'
import { recorder, requireReady } from './recorder'

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** An image as `nativeImage` loads it: empty when the file is missing or not an image. */
export class NativeImage {
  readonly standInLabel: string
  constructor(
    readonly path: string,
    private readonly empty: boolean
  ) {
    this.standInLabel = `nativeImage ${empty ? '(empty)' : path}`
  }
  isEmpty(): boolean {
    return this.empty
  }
}

function isPng(file: string): boolean {
  try {
    const fd = openSync(file, 'r')
    const head = Buffer.alloc(8)
    readSync(fd, head, 0, 8, 0)
    closeSync(fd)
    return head.equals(pngSignature)
  } catch {
    return false
  }
}

export const nativeImage = {
  createFromPath(file: string): NativeImage {
    recorder.record('nativeImage.createFromPath', [file])
    return new NativeImage(file, !isPng(file))
  }
}

/** A built menu: the template's items, clickable by id or label from a test. */
export class Menu {
  static applicationMenu: Menu | null = null
  readonly standInLabel = 'Menu'
  constructor(readonly items: MenuItemConstructorOptions[]) {}

  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu {
    recorder.record('Menu.buildFromTemplate', [template])
    return new Menu(template)
  }

  static setApplicationMenu(menu: Menu | null): void {
    recorder.record('Menu.setApplicationMenu', [menu])
    requireReady('Menu.setApplicationMenu')
    Menu.applicationMenu = menu
  }

  /** Finds an item anywhere in the menu by id or label. */
  find(key: string): MenuItemConstructorOptions | null {
    const search = (
      items: readonly MenuItemConstructorOptions[]
    ): MenuItemConstructorOptions | null => {
      for (const item of items) {
        if (item.id === key || item.label === key) return item
        const sub = Array.isArray(item.submenu) ? search(item.submenu) : null
        if (sub) return sub
      }
      return null
    }
    return search(this.items)
  }

  /** The user picks an item: its click handler runs as Electron calls it. */
  click(key: string): void {
    const item = this.find(key)
    if (!item?.click) throw new Error(`No clickable menu item "${key}"`)
    recorder.record('<menu click>', [key])
    item.click(item as never, undefined, cancelableEvent({}) as never)
  }
}

let nextTray = 1

export class Tray extends EventEmitter {
  static live: Tray[] = []
  readonly standInLabel: string
  toolTip = ''
  title = ''
  contextMenu: Menu | null = null
  private destroyed = false

  constructor(readonly image: NativeImage | string) {
    super()
    this.standInLabel = `Tray#${nextTray++}`
    recorder.record('new Tray', [image])
    requireReady('Tray')
    Tray.live.push(this)
  }

  private alive(method: string, args: unknown[]): void {
    recorder.record(`${this.standInLabel}.${method}`, args)
    if (this.destroyed) throw new TypeError(`Object has been destroyed (${this.standInLabel})`)
  }

  setToolTip(toolTip: string): void {
    this.alive('setToolTip', [toolTip])
    this.toolTip = toolTip
  }

  setTitle(title: string): void {
    this.alive('setTitle', [title])
    this.title = title
  }

  setContextMenu(menu: Menu | null): void {
    this.alive('setContextMenu', [menu])
    this.contextMenu = menu
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  destroy(): void {
    this.alive('destroy', [])
    this.destroyed = true
  }
}

let nextNotification = 1

export class Notification extends EventEmitter {
  static shown: Notification[] = []
  readonly standInLabel: string
  readonly title: string
  readonly body: string

  constructor(readonly options: NotificationConstructorOptions = {}) {
    super()
    this.standInLabel = `Notification#${nextNotification++}`
    this.title = options.title ?? ''
    this.body = options.body ?? ''
    recorder.record('new Notification', [options])
  }

  static isSupported(): boolean {
    return true
  }

  show(): void {
    recorder.record(`${this.standInLabel}.show`, [])
    Notification.shown.push(this)
  }

  close(): void {
    recorder.record(`${this.standInLabel}.close`, [])
    this.emit('close', cancelableEvent({}))
  }
}

export const dialog = {
  /** Safe before ready, as Electron documents. */
  showErrorBox(title: string, content: string): void {
    recorder.record('dialog.showErrorBox', [title, content])
  },
  /** Recorded and answered as a cancelled dialog: a boot test saves no file. */
  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath: string }> {
    recorder.record('dialog.showSaveDialog', args)
    return Promise.resolve({ canceled: true, filePath: '' })
  }
} satisfies Pick<Dialog, 'showErrorBox'> & {
  showSaveDialog: (...args: unknown[]) => Promise<unknown>
}

export const shell = {
  openExternal(url: string): Promise<void> {
    recorder.record('shell.openExternal', [url])
    return Promise.resolve()
  }
} satisfies Pick<Shell, 'openExternal'>

/** Electron's ClipboardItem: the MIME types it carries and their payloads. */
export class ClipboardItem {
  readonly types: string[]
  constructor(readonly payloads: Record<string, string | Blob>) {
    this.types = Object.keys(payloads)
  }
}

let clipboardText = ''
export const clipboard = {
  writeText(text: string): Promise<void> {
    recorder.record('clipboard.writeText', ['[text]'])
    clipboardText = text
    return Promise.resolve()
  },
  async write(items: ClipboardItem[]): Promise<void> {
    // Recorded by format only: the payload is a credential.
    recorder.record('clipboard.write', [items.flatMap((item) => item.types)])
    const text = items.map((item) => item.payloads['text/plain']).find((p) => p !== undefined)
    clipboardText = typeof text === 'string' ? text : text ? await text.text() : ''
  },
  readText(): Promise<string> {
    return Promise.resolve(clipboardText)
  },
  clear(type?: 'clipboard' | 'selection'): void {
    recorder.record('clipboard.clear', type === undefined ? [] : [type])
    if (type !== 'selection') clipboardText = ''
  }
} satisfies Pick<Clipboard, 'writeText' | 'readText' | 'clear'> & {
  write(items: ClipboardItem[]): Promise<void>
}

/** The members Keygate uses, as Electron declares them. */
export type UsedTray = Pick<ElectronTray, 'setToolTip' | 'setTitle' | 'destroy' | 'isDestroyed'>
export type UsedMenu = Pick<typeof ElectronMenu, 'buildFromTemplate' | 'setApplicationMenu'>
export type UsedNotification = Pick<ElectronNotification, 'show' | 'close' | 'title' | 'body'>
