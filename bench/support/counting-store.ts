import type { KeyValueStore } from '../../src/main/core/ports'

export interface CountingStore {
  store: KeyValueStore
  /** Writes (`set`/`delete`) and the wall time they took, in ms. */
  writes(): { count: number; ms: number }
}

/** Wraps a store to count its writes: each one rewrites the whole file. */
export function countingStore(inner: KeyValueStore): CountingStore {
  let count = 0
  let ms = 0
  const timed = (write: () => void): void => {
    const start = performance.now()
    try {
      write()
    } finally {
      count += 1
      ms += performance.now() - start
    }
  }
  return {
    store: {
      get: <T>(key: string) => inner.get<T>(key),
      set: (key, value) => timed(() => inner.set(key, value)),
      delete: (key) => timed(() => inner.delete(key)),
      keys: () => inner.keys()
    },
    writes: () => ({ count, ms })
  }
}
