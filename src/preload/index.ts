import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { invokeChannels, pushChannels, type PushChannel } from '../shared/ipc'
import { buildKeygateApi, type KeygateTransport } from '../shared/keygate-api'

const knownPushes: ReadonlySet<string> = new Set<PushChannel>(pushChannels)

/** Electron IPC as the transport behind `window.keygate`; nothing of ipcRenderer leaks out. */
const transport: KeygateTransport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, args),
  subscribe: (event, listener) => {
    if (!knownPushes.has(event)) throw new Error(`Unknown Keygate event "${String(event)}"`)
    // The IpcRendererEvent (with its sender) never reaches the page: only the payload does.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, forward)
    return () => {
      ipcRenderer.removeListener(event, forward)
    }
  }
}

contextBridge.exposeInMainWorld('keygate', buildKeygateApi(transport, invokeChannels))
