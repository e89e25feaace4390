import ElectronStore from 'electron-store'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { AppFailure } from '../../shared/result'
import type { KeyValueStore, StoreFactory } from '../core/ports'
import { compactJson, confKeyValueStore, storeName } from '../core/storage/conf-store'

/** A damaged file is reported in words, never silently wiped (clearInvalidConfig is off). */
function readable<T>(name: string, dir: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new AppFailure(
        'INTERNAL',
        `The ${name} store (${path.join(dir, `${name}.json`)}) is not valid JSON. Move the file away and restart Keygate.`
      )
    }
    throw e
  }
}

/**
 * Opens `<dir>/<name>.json` through electron-store: atomic whole-file writes, owner-only file and
 * folder, literal keys (ids may contain dots), compact JSON. One instance per name, so every
 * caller shares one view of the file, and that instance is the file's only writer (see
 * `confKeyValueStore`). The same settings as the core's plain-Node `conf` factory.
 */
export function createElectronStoreFactory(dir: string): StoreFactory {
  const opened = new Map<string, KeyValueStore>()
  return (name) => {
    if (!storeName.test(name)) throw new Error(`Invalid store name: ${name}`)
    const existing = opened.get(name)
    if (existing) return existing
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const store = readable(
      name,
      dir,
      () =>
        new ElectronStore<Record<string, unknown>>({
          name,
          cwd: dir,
          configFileMode: 0o600,
          clearInvalidConfig: false,
          accessPropertiesByDotNotation: false,
          serialize: compactJson
        })
    )
    const adapter = confKeyValueStore(store, (fn) => readable(name, dir, fn))
    opened.set(name, adapter)
    return adapter
  }
}
