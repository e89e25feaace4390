import type { HttpTransport, KeyValueStore, StoreFactory } from '../src/main/core/ports'

/**
 * Models the death of an in-process core instance. After `kill()` the instance has no effect on
 * the world any more, as if its process were gone: nothing more goes out on the wire, replies to
 * calls already sent are never seen, and nothing more is written to its store files. Calls
 * already on the wire still land on the Dashboard, exactly as after a real crash.
 */
export interface Lifeline {
  readonly dead: boolean
  /** Resolves when the instance dies. */
  readonly died: Promise<void>
  kill(): void
}

export function createLifeline(): Lifeline {
  let dead = false
  let resolveDied: () => void = () => undefined
  const died = new Promise<void>((resolve) => {
    resolveDied = resolve
  })
  return {
    get dead() {
      return dead
    },
    died,
    kill() {
      dead = true
      resolveDied()
    }
  }
}

/** A promise that never settles: what a dead process's pending work amounts to. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined)

/** The transport, cut when the instance dies (no new calls, no replies delivered). */
export function severableTransport(inner: HttpTransport, life: Lifeline): HttpTransport {
  return async (request) => {
    if (life.dead) return never()
    try {
      const response = await inner(request)
      return life.dead ? never() : response
    } catch (error) {
      if (life.dead) return never()
      throw error
    }
  }
}

/** Store files that stop taking writes when the instance dies; reads still see the file. */
export function severableStores(open: StoreFactory, life: Lifeline): StoreFactory {
  return (name) => {
    const store = open(name)
    const severed: KeyValueStore = {
      get: <T>(key: string) => store.get<T>(key),
      set: (key, value) => {
        if (!life.dead) store.set(key, value)
      },
      delete: (key) => {
        if (!life.dead) store.delete(key)
      },
      keys: () => store.keys()
    }
    return severed
  }
}
