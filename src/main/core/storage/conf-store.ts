import Conf from 'conf'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { AppFailure } from '../../../shared/result'
import type { KeyValueStore, StoreFactory } from '../ports'

/** Store names are file names: lower case, digits and dashes only, so none can leave the folder. */
export const storeName = /^[a-z0-9][a-z0-9-]*$/

/** clearInvalidConfig is off on purpose: a damaged file is reported, never silently wiped. */
function guarded<T>(file: string, name: string, fn: () => T): T {
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
  return {
    get: <T>(key: string) => guard(() => conf.get(key) as T | undefined),
    set: (key, value) =>
      guard(() => (value === undefined ? conf.delete(key) : conf.set(key, value))),
    delete: (key) => guard(() => conf.delete(key))
  }
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
