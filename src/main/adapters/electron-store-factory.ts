import ElectronStore from 'electron-store'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { KeyValueStore, StoreFactory } from '../core/ports'
import {
  compactJson,
  fileKeyValueStore,
  guarded,
  openOrSetAside,
  storeName,
  type StoreSetAside
} from '../core/storage/conf-store'

/**
 * Opens `<dir>/<name>.json`, read through electron-store and written by `fileKeyValueStore`
 * (whole-file atomic writes without a blocking retry loop): owner-only file and folder, literal
 * keys (ids may contain dots), compact JSON. One instance per name, so every caller shares one
 * view of the file, and that instance is the file's only writer. The same settings as the core's
 * plain-Node `conf` factory.
 */
export function createElectronStoreFactory(
  dir: string,
  onSetAside?: (notice: StoreSetAside) => void
): StoreFactory {
  const opened = new Map<string, KeyValueStore>()
  return (name) => {
    if (!storeName.test(name)) throw new Error(`Invalid store name: ${name}`)
    const existing = opened.get(name)
    if (existing) return existing
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const file = path.join(dir, `${name}.json`)
    const guard = <T>(fn: () => T): T => guarded(file, name, fn)
    const store = guard(() =>
      openOrSetAside(
        dir,
        name,
        () =>
          new ElectronStore<Record<string, unknown>>({
            name,
            cwd: dir,
            configFileMode: 0o600,
            clearInvalidConfig: false,
            accessPropertiesByDotNotation: false,
            serialize: compactJson
          }),
        onSetAside
      )
    )
    const adapter = fileKeyValueStore(file, store.store, guard)
    opened.set(name, adapter)
    return adapter
  }
}
