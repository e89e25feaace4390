import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { EventEmitter } from 'node:events'
import { recorder } from './recorder'

type InvokeListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

class StandInIpcMain extends EventEmitter {
  readonly standInLabel = 'ipcMain'
  private readonly handlers = new Map<string, InvokeListener>()

  /** Sync/async messages from renderers (electron-store listens for its own). */
  override on(channel: string | symbol, listener: Parameters<EventEmitter['on']>[1]): this {
    recorder.record('ipcMain.on', [String(channel)])
    return super.on(channel, listener)
  }

  handle(channel: string, listener: InvokeListener): void {
    recorder.record('ipcMain.handle', [channel])
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    }
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    recorder.record('ipcMain.removeHandler', [channel])
    this.handlers.delete(channel)
  }

  channels(): string[] {
    return [...this.handlers.keys()]
  }

  /**
   * What `ipcRenderer.invoke` does on the main side: the listener's answer, cloned back across
   * the process boundary (a value that cannot be cloned fails the call, as in Electron).
   */
  async invoke(channel: string, event: IpcMainInvokeEvent, args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel)
    if (!listener) {
      throw new Error(
        `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`
      )
    }
    return structuredClone(await listener(event, ...args))
  }
}

export const ipcMain = new StandInIpcMain() satisfies Pick<IpcMain, 'handle' | 'removeHandler'>
