import type { App } from 'electron'
import { EventEmitter } from 'node:events'
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, createServer, type Server } from 'node:net'
import path from 'node:path'
import { recorder, requireNotReady } from './recorder'

/** Set by the boot bootstrap: where the stand-in keeps appData, temp, logs (one temp folder). */
export const HOME_ENV = 'KEYGATE_STAND_IN_HOME'
/** The folder holding the app's package.json (`electron .` in that folder). */
export const APP_PATH_ENV = 'KEYGATE_STAND_IN_APP_PATH'

type Listener = Parameters<EventEmitter['on']>[1]
type PathName = Parameters<App['getPath']>[0]

/** An Electron event: a plain object whose preventDefault the app may call. */
export function cancelableEvent<T extends object>(
  fields: T
): T & {
  preventDefault(): void
  readonly defaultPrevented: boolean
} {
  let prevented = false
  return Object.defineProperties(fields, {
    preventDefault: {
      value: () => {
        prevented = true
      }
    },
    defaultPrevented: { get: () => prevented }
  }) as T & { preventDefault(): void; readonly defaultPrevented: boolean }
}

/** What the process still has to finish before it may exit (the note to the first instance). */
const beforeExit: Promise<unknown>[] = []
let exitHook: (code: number) => Promise<void> = async () => {}

/** Lets the boot driver report the final record to the test before the process goes. */
export function onProcessExit(hook: (code: number) => Promise<void>): void {
  exitHook = hook
}

/** Windows to close on quit; registered by BrowserWindow. */
export const quitClosers = new Set<() => boolean>()

class StandInApp extends EventEmitter {
  readonly standInLabel = 'app'
  readonly isPackaged = false
  private readonly paths = new Map<string, string>()
  private readonly readyPromise: Promise<void>
  private resolveReady!: () => void
  private singleton: Server | null = null
  private quitting = false

  constructor() {
    super()
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve
    })
  }

  /** Recorded, so the start-up order shows when each lifecycle listener was added. */
  override on(event: string | symbol, listener: Listener): this {
    recorder.record('app.on', [String(event)])
    return super.on(event, listener)
  }

  override once(event: string | symbol, listener: Listener): this {
    recorder.record('app.once', [String(event)])
    return super.once(event, listener)
  }

  private home(): string {
    const home = process.env[HOME_ENV]
    if (!home) throw new Error(`${HOME_ENV} is not set: the stand-in needs a temp folder`)
    return home
  }

  getAppPath(): string {
    recorder.record('app.getAppPath', [])
    return path.resolve(process.env[APP_PATH_ENV] ?? process.cwd())
  }

  getVersion(): string {
    const pkg = JSON.parse(readFileSync(path.join(this.getAppPath(), 'package.json'), 'utf8')) as {
      version: string
    }
    return pkg.version
  }

  getName(): string {
    return 'keygate'
  }

  getPath(name: PathName): string {
    recorder.record('app.getPath', [name])
    const set = this.paths.get(name)
    if (set) return set
    const home = this.home()
    const defaults: Partial<Record<PathName, string>> = {
      home,
      appData: path.join(home, 'appData'),
      temp: path.join(home, 'temp'),
      userData: path.join(home, 'appData', this.getName()),
      sessionData: this.paths.get('userData') ?? path.join(home, 'appData', this.getName()),
      logs: path.join(home, 'appData', this.getName(), 'logs'),
      crashDumps: path.join(home, 'crashDumps')
    }
    const found = defaults[name]
    // Electron throws for names it does not know.
    if (!found) throw new Error(`Failed to get '${name}' path`)
    return found
  }

  setPath(name: string, value: string): void {
    recorder.record('app.setPath', [name, value])
    // userData/sessionData are read when the default session is created at ready; later changes
    // leave cookies, caches and the single-instance lock in the old folder.
    if (name === 'userData' || name === 'sessionData') requireNotReady(`app.setPath('${name}')`)
    if (!path.isAbsolute(value)) throw new Error('Path must be absolute')
    this.paths.set(name, value)
  }

  setAppUserModelId(id: string): void {
    recorder.record('app.setAppUserModelId', [id])
  }

  enableSandbox(): void {
    recorder.record('app.enableSandbox', [])
    requireNotReady('app.enableSandbox()')
  }

  isReady(): boolean {
    return recorder.ready
  }

  whenReady(): Promise<void> {
    recorder.record('app.whenReady', [])
    return this.readyPromise
  }

  /** The runtime's own step: Electron emits these once the entry script has been evaluated. */
  emitReady(): void {
    // An app that quit while its entry ran never becomes ready.
    if (this.quitting) return
    recorder.ready = true
    recorder.record('<ready>', [])
    this.emit('will-finish-launching')
    this.emit('ready', cancelableEvent({}), {})
    this.resolveReady()
  }

  setAboutPanelOptions(options: Record<string, unknown>): void {
    recorder.record('app.setAboutPanelOptions', [options])
  }

  showAboutPanel(): void {
    recorder.record('app.showAboutPanel', [])
  }

  setBadgeCount(count?: number): boolean {
    recorder.record('app.setBadgeCount', [count])
    return true
  }

  /**
   * A lock in userData, as Electron's ProcessSingleton: the first instance listens on a socket
   * there; a later one sends it its argv (the first emits `second-instance`) and gets false.
   */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    recorder.record('app.requestSingleInstanceLock', [additionalData])
    const dir = this.getPath('userData')
    mkdirSync(dir, { recursive: true })
    const lock = path.join(dir, 'SingletonLock')
    const socket = path.join(dir, 'SingletonSocket')
    try {
      closeSync(openSync(lock, 'wx'))
    } catch {
      const holder = Number(readFileSync(lock, 'utf8'))
      if (holder && processAlive(holder)) {
        beforeExit.push(notifyFirstInstance(socket, additionalData ?? {}))
        return false
      }
      rmSync(socket, { force: true })
    }
    writeFileSync(lock, String(process.pid))
    this.singleton = createServer((connection) => {
      let text = ''
      connection.on('data', (chunk) => (text += chunk.toString()))
      connection.on('end', () => {
        const note = JSON.parse(text) as { argv: string[]; cwd: string; data: unknown }
        recorder.record('<second-instance>', [note.argv])
        this.emit('second-instance', cancelableEvent({}), note.argv, note.cwd, note.data)
        connection.end()
      })
    })
    this.singleton.listen(socket)
    this.singleton.unref()
    return true
  }

  quit(): void {
    recorder.record('app.quit', [])
    if (this.quitting) return
    const beforeQuit = cancelableEvent({})
    this.emit('before-quit', beforeQuit)
    if (beforeQuit.defaultPrevented) return
    this.quitting = true
    // Electron closes every window on quit (without window-all-closed), then asks again.
    for (const close of [...quitClosers]) {
      if (!close()) {
        this.quitting = false
        return
      }
    }
    const willQuit = cancelableEvent({})
    this.emit('will-quit', willQuit)
    if (willQuit.defaultPrevented) {
      this.quitting = false
      return
    }
    this.emit('quit', cancelableEvent({}), 0)
    this.finish(0)
  }

  exit(exitCode = 0): void {
    recorder.record('app.exit', [exitCode])
    this.finish(exitCode)
  }

  private finish(code: number): void {
    this.singleton?.close()
    void Promise.allSettled(beforeExit)
      .then(() => exitHook(code))
      .finally(() => process.exit(code))
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function notifyFirstInstance(socket: string, data: Record<string, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const connection = createConnection(socket, () => {
      connection.end(JSON.stringify({ argv: process.argv, cwd: process.cwd(), data }))
    })
    connection.on('close', () => resolve())
    connection.on('error', () => resolve())
  })
}

export const app = new StandInApp() satisfies Pick<
  App,
  | 'isPackaged'
  | 'getAppPath'
  | 'getVersion'
  | 'getName'
  | 'getPath'
  | 'setPath'
  | 'setAppUserModelId'
  | 'enableSandbox'
  | 'isReady'
  | 'whenReady'
  | 'setAboutPanelOptions'
  | 'showAboutPanel'
  | 'setBadgeCount'
  | 'requestSingleInstanceLock'
  | 'quit'
  | 'exit'
>
