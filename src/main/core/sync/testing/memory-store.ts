import type { KeyValueStore, Logger, NotificationRequest, Notifier } from '../../ports'

/** An in-memory KeyValueStore that counts writes and copies values like a JSON file would. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>()
  writes = 0

  get<T>(key: string): T | undefined {
    const value = this.data.get(key)
    return value === undefined ? undefined : (JSON.parse(value) as T)
  }

  set(key: string, value: unknown): void {
    this.writes += 1
    this.data.set(key, JSON.stringify(value))
  }

  delete(key: string): void {
    this.writes += 1
    this.data.delete(key)
  }
}

/** A StoreFactory over in-memory stores that survive "restarts" of the code using them. */
export function memoryStores(): {
  factory: (name: string) => MemoryStore
  stores: Map<string, MemoryStore>
} {
  const stores = new Map<string, MemoryStore>()
  return {
    stores,
    factory: (name) => {
      let store = stores.get(name)
      if (!store) {
        store = new MemoryStore()
        stores.set(name, store)
      }
      return store
    }
  }
}

/** Records notifications instead of showing them. */
export class RecordingNotifier implements Notifier {
  readonly shown: NotificationRequest[] = []
  constructor(private readonly supported = true) {}
  isSupported(): boolean {
    return this.supported
  }
  show(notification: NotificationRequest): void {
    this.shown.push(notification)
  }
}

export interface LogLine {
  level: 'info' | 'warn' | 'error'
  message: string
  data?: Record<string, unknown>
}

/** Captures log lines for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = []
  info(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, data })
  }
  warn(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, data })
  }
  error(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, data })
  }
}
