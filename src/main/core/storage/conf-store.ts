import Conf from 'conf'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { AppFailure } from '../../../shared/result'
import type { KeyValueStore, StoreFactory } from '../ports'

/** Store names are file names: lower case, digits and dashes only, so none can leave the folder. */
export const storeName = /^[a-z0-9][a-z0-9-]*$/

/** clearInvalidConfig is off on purpose: a damaged file is reported, never silently wiped. */
export function guarded<T>(file: string, name: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new AppFailure(
        'INTERNAL',
        `The ${name} store (${file}) is not valid JSON. Move the file away and restart Keygate.`
      )
    }
    throw e
  }
}

/**
 * Compact JSON: the store rewrites the whole file on every set, and the list cache holds
 * thousands of requests, so indentation would only cost time and disk.
 */
export const compactJson = (value: unknown): string => JSON.stringify(value)

/**
 * A KeyValueStore over one `conf` instance (electron-store is a subclass). conf's own `set` reads
 * and parses the whole file twice per write (its `store` getter, then its setter), and the outbox
 * rewrites a file of thousands of items per batch; so a write here starts from this instance's
 * copy of the other keys' values, and only conf's setter still reads the file. That copy is right
 * because each file has one writer, this instance: a new one (a restart, another process) starts
 * from the file. Reads go to the file, as before, so each returns its own copy.
 */
export function confKeyValueStore(
  conf: Conf<Record<string, unknown>>,
  guard: <T>(fn: () => T) => T
): KeyValueStore {
  /**
   * Private copies of the file's values, never handed out, but for `lastKey`'s: that value is the
   * caller's object, which its owner may go on changing, and copying it would cost the parse saved.
   * So a write to another key reads the file again; the outbox writes one key only.
   */
  let others: Map<string, unknown> | null = null
  let lastKey: string | null = null

  const write = (key: string, value: unknown): void => {
    const values =
      others !== null && (lastKey === null || lastKey === key)
        ? others
        : new Map(Object.entries(conf.store))
    // No prototype, like conf's own objects: a key named `__proto__` stays a plain key.
    const next = Object.create(null) as Record<string, unknown>
    for (const [other, stored] of values) if (other !== key) next[other] = stored
    if (value !== undefined) next[key] = value
    conf.store = next
    values.delete(key)
    others = values
    lastKey = value === undefined ? null : key
  }

  return {
    get: <T>(key: string) => guard(() => conf.get(key) as T | undefined),
    set: (key, value) => guard(() => write(key, value)),
    delete: (key) => guard(() => write(key, undefined))
  }
}

/** Opens one `conf` file (electron-store's own base class) as a KeyValueStore. */
function openStore(dir: string, name: string): KeyValueStore {
  const file = path.join(dir, `${name}.json`)
  const guard = <T>(fn: () => T): T => guarded(file, name, fn)
  const conf = guard(
    () =>
      new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: name,
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
        serialize: compactJson
      })
  )
  return confKeyValueStore(conf, guard)
}

/**
 * Opens named JSON stores under `dir`, one file per name (`profiles.json`, ...), readable by
 * the owner only. Keys are literal (no dot paths), since ids may contain dots.
 */
export function createConfStoreFactory(dir: string): StoreFactory {
  const open = new Map<string, KeyValueStore>()
  return (name) => {
    if (!storeName.test(name)) throw new Error(`Invalid store name: ${name}`)
    const existing = open.get(name)
    if (existing) return existing
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const store = openStore(dir, name)
    open.set(name, store)
    return store
  }
}
