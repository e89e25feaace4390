import type { KeyValueStore } from '../ports'

/** A KeyValueStore that keeps JSON text, as a file would, and counts writes. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>()
  writes = 0

  get<T>(key: string): T | undefined {
    const raw = this.data.get(key)
    return raw === undefined ? undefined : (JSON.parse(raw) as T)
  }

  set(key: string, value: unknown): void {
    this.writes += 1
    this.data.set(key, JSON.stringify(value))
  }

  delete(key: string): void {
    this.writes += 1
    this.data.delete(key)
  }

  /** Everything stored, as text, for scanning. */
  dump(): string {
    return [...this.data.values()].join('\n')
  }

  /** The file as it is now, as a process that crashed at this moment would leave it. */
  clone(): MemoryStore {
    const copy = new MemoryStore()
    for (const [key, value] of this.data) copy.data.set(key, value)
    return copy
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
