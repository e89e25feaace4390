import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import vm from 'node:vm'
import { recorder } from './recorder'

/** What the renderer side needs from its WebContents (kept narrow to avoid an import cycle). */
export interface RendererHost {
  readonly standInLabel: string
  /** Runs main's `ipcMain.handle` listener for `channel` as a call from this page. */
  invokeMain(channel: string, args: unknown[]): Promise<unknown>
}

/**
 * Crosses the context bridge: plain data is copied (structured clone), functions are proxied with
 * their arguments and results crossing back the same way, promises settle with bridged values.
 */
function bridge(value: unknown): unknown {
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown
    return (...args: unknown[]) => bridge(fn(...args.map(bridge)))
  }
  if (value instanceof Promise) return value.then(bridge)
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(bridge)
  if (Object.getPrototypeOf(value) === Object.prototype || isForeignPlainObject(value)) {
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) copy[key] = bridge(item)
    return copy
  }
  return structuredClone(value)
}

/** A plain object made in the preload's own realm (its Object.prototype differs from ours). */
function isForeignPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null
  return (
    proto !== null && Object.getPrototypeOf(proto) === null && proto.constructor?.name === 'Object'
  )
}

/**
 * The page side of one window: the main world (what the page sees as `window.*`) and the
 * renderer-process `electron` module its preload gets (contextBridge, ipcRenderer).
 */
export class RendererWorld {
  /** Properties the preload exposed on the page's `window`. */
  readonly mainWorld = new Map<string, unknown>()
  readonly ipcRenderer: EventEmitter & Pick<IpcRenderer, 'invoke' | 'send'>
  readonly contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>

  constructor(
    private readonly host: RendererHost,
    private readonly contextIsolation: boolean
  ) {
    const ipc = new EventEmitter()
    this.ipcRenderer = Object.assign(ipc, {
      invoke(channel: string, ...args: unknown[]): Promise<unknown> {
        recorder.record(`${host.standInLabel}.ipcRenderer.invoke`, [channel, ...args])
        // Arguments cross the process boundary as structured clones.
        return host.invokeMain(channel, structuredClone(args))
      },
      send(channel: string, ...args: unknown[]): void {
        recorder.record(`${host.standInLabel}.ipcRenderer.send`, [channel, ...args])
        throw new Error(`ipcRenderer.send('${channel}') has no main-side listener in Keygate`)
      }
    }) satisfies Pick<IpcRenderer, 'invoke' | 'send'>
    this.contextBridge = {
      exposeInMainWorld: (apiKey: string, api: unknown): void => {
        recorder.record(`${host.standInLabel}.contextBridge.exposeInMainWorld`, [apiKey])
        if (!this.contextIsolation) {
          throw new Error('contextBridge API can only be used when contextIsolation is enabled')
        }
        if (this.mainWorld.has(apiKey)) {
          throw new Error('Cannot bind an API on top of an existing property on the window object')
        }
        this.mainWorld.set(apiKey, bridge(api))
      }
    } satisfies Pick<ContextBridge, 'exposeInMainWorld'>
  }

  /** Delivers a `webContents.send` to the page's ipcRenderer listeners, as Electron does. */
  deliver(channel: string, args: unknown[]): void {
    const event = {
      sender: this.ipcRenderer,
      senderId: 0,
      ports: []
    } as unknown as IpcRendererEvent
    this.ipcRenderer.emit(channel, event, ...args)
  }

  /**
   * Runs a preload the way a sandboxed renderer does: one CommonJS script in its own realm whose
   * `require` offers only `electron` (the renderer modules) and events/timers/url.
   */
  runSandboxedPreload(file: string): void {
    const electron = { contextBridge: this.contextBridge, ipcRenderer: this.ipcRenderer }
    const builtins: Record<string, unknown> = {
      events: { EventEmitter, default: EventEmitter },
      timers: {
        setTimeout,
        clearTimeout,
        setInterval,
        clearInterval,
        setImmediate,
        clearImmediate
      },
      url: { URL, URLSearchParams }
    }
    const sandboxRequire = (id: string): unknown => {
      if (id === 'electron' || id === 'electron/renderer') return electron
      const builtin = builtins[id.replace(/^node:/, '')]
      if (builtin) return builtin
      throw new Error(`module not found: ${id}`)
    }
    const context = vm.createContext({
      console,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      setImmediate,
      clearImmediate,
      queueMicrotask,
      structuredClone,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      atob,
      btoa,
      process: {
        env: {},
        platform: process.platform,
        arch: process.arch,
        versions: process.versions,
        type: 'renderer',
        sandboxed: true,
        contextIsolated: this.contextIsolation
      }
    })
    const module = { exports: {} as unknown }
    const run = vm.compileFunction(
      readFileSync(file, 'utf8'),
      ['exports', 'require', 'module', '__filename', '__dirname'],
      { parsingContext: context, filename: file }
    )
    run(module.exports, sandboxRequire, module, file, '.')
  }
}
