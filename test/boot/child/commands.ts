/** What a boot test can ask the app's process to do, and what comes back. */
import type { RecordedCall } from '../../electron-stand-in/recorder'

export type BootCommand =
  | { op: 'records' }
  | { op: 'handledChannels' }
  /** Calls a main `ipcMain.handle` listener as a frame at `frameUrl` (top frame unless `subframe`). */
  | { op: 'invoke'; channel: string; args?: unknown; frameUrl?: string; subframe?: boolean }
  | { op: 'fetch'; url: string; method?: string }
  | { op: 'window' }
  | { op: 'windowAction'; action: 'hide' | 'minimize' | 'close' }
  | { op: 'navigate'; url: string }
  | { op: 'windowOpen'; url: string }
  | { op: 'headers'; url: string; responseHeaders: Record<string, string[]> }
  | { op: 'permission'; permission: string; requestingUrl: string }
  | { op: 'permissionCheck'; permission: string; requestingOrigin: string }
  | { op: 'pageKeys' }
  | { op: 'pageCall'; channel: string; args?: unknown }
  | { op: 'pageSubscribe'; event: string }
  | { op: 'pageEvents' }
  | { op: 'notifications' }
  | { op: 'clickNotification'; index: number }
  | { op: 'tray' }
  | { op: 'trayMenuClick'; label: string }
  | { op: 'menuClick'; id: string }
  | { op: 'quit' }

export interface WindowState {
  exists: boolean
  count: number
  url: string | null
  loading: boolean
  visible: boolean
  focused: boolean
  minimized: boolean
  options: unknown
}

export interface FetchAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

export type ChildMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'exit'; code: number; records: RecordedCall[] }
