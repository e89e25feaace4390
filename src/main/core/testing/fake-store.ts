import type { KeyValueStore } from '../ports'

/** A KeyValueStore that keeps JSON text, as a file would, and counts writes. */
export class FakeStore implements KeyValueStore {
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

  keys(): string[] {
    return [...this.data.keys()]
  }

  /** Everything stored, as text, for scanning. */
  dump(): string {
    return [...this.data.values()].join('\n')
  }

  /** The file as it is now, as a process that crashed at this moment would leave it. */
  clone(): FakeStore {
    const copy = new FakeStore()
    for (const [key, value] of this.data) copy.data.set(key, value)
    return copy
  }
}

/** A StoreFactory over in-memory stores that survive "restarts" of the code using them. */
export function fakeStores(): {
  factory: (name: string) => FakeStore
  stores: Map<string, FakeStore>
} {
  const stores = new Map<string, FakeStore>()
  return {
    stores,
    factory: (name) => {
      let store = stores.get(name)
      if (!store) {
        store = new FakeStore()
        stores.set(name, store)
      }
      return store
    }
  }
}

/** Fails the next write, as a full disk would. */
export class FailOnceStore extends FakeStore {
  failNext = false

  override set(key: string, value: unknown): void {
    if (this.failNext) {
      this.failNext = false
      throw new Error('ENOSPC: no space left on device')
    }
    super.set(key, value)
  }
}
