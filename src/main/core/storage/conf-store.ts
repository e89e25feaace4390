import Conf from 'conf'
import fs, { mkdirSync, renameSync } from 'node:fs'
import path from 'node:path'
import { AppFailure } from '../../../shared/result'
import type { KeyValueStore, StoreFactory } from '../ports'

/** Store names are file names: lower case, digits and dashes only, so none can leave the folder. */
export const storeName = /^[a-z0-9][a-z0-9-]*$/

/** What to do about a file system refusal, by its code. */
const fixes: Record<string, string> = {
  EISDIR: 'is a folder: move it away and restart Keygate',
  ENOTDIR: 'sits under something that is not a folder: check the data folder and restart Keygate',
  EACCES: 'is not readable or writable by you: fix its permissions',
  EPERM: 'is not readable or writable by you: fix its permissions',
  EROFS: 'is on a read-only disk: move the data folder to a writable one',
  ENOSPC: 'cannot be written: the disk is full; free some space',
  EDQUOT: 'cannot be written: your disk quota is used up; free some space'
}

/**
 * Errors naming the file and the fix. clearInvalidConfig is off on purpose: a damaged file is
 * reported (or moved aside when opened), never silently wiped.
 */
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
    const code = (e as { code?: unknown } | null)?.code
    if (typeof code === 'string' && code in fixes) {
      throw new AppFailure('INTERNAL', `The ${name} store (${file}) ${fixes[code]} (${code}).`)
    }
    throw e
  }
}

/** A damaged store file Keygate moved aside to start without it. */
export interface StoreSetAside {
  name: string
  file: string
  movedTo: string
  /** For the user: which file, where it went, and what was lost or will be rebuilt. */
  message: string
}

/** What a damaged file held, in the user's terms: rebuilt by itself, or worth keeping. */
const loss: Record<string, string> = {
  cache: 'The cached request lists are rebuilt from the portals.',
  seen: 'Requests already announced may be announced once more.',
  outbox:
    'It holds queued approvals and declines that were not sent: keep the file and send it to support, or re-do those decisions.',
  decisions:
    'It holds the decision log (who approved or declined what, and why): keep the file as the record.',
  profiles:
    'It holds the portal profiles: add them again (their API keys are still in the keychain).'
}

const stamp = (): string =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')

/**
 * Opens a store; a file that is not valid JSON is renamed to `<name>.unreadable-<UTC stamp>.json`
 * (never wiped) and the store opened empty, so one damaged file does not stop the app.
 */
export function openOrSetAside<T>(
  dir: string,
  name: string,
  open: () => T,
  onSetAside?: (notice: StoreSetAside) => void
): T {
  const file = path.join(dir, `${name}.json`)
  try {
    return open()
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e
  }
  const movedTo = path.join(dir, `${name}.unreadable-${stamp()}.json`)
  renameSync(file, movedTo)
  onSetAside?.({
    name,
    file,
    movedTo,
    message:
      `${file} could not be read (not valid JSON), so Keygate moved it to ${movedTo} and started without it. ${loss[name] ?? ''}`.trim()
  })
  return open()
}

/**
 * Compact JSON: the store rewrites the whole file on every set, and the list cache holds
 * thousands of requests, so indentation would only cost time and disk.
 */
export const compactJson = (value: unknown): string => JSON.stringify(value)

/** Removes a half-written temporary file; the write's own error is the one worth reporting. */
function removeTemp(temp: string): void {
  try {
    fs.rmSync(temp, { force: true })
  } catch {
    // Left for the next write of the same file to replace.
  }
}

/** Temporary files a process killed mid-write left beside `file`; this instance is its writer now. */
function removeStaleTemps(file: string): void {
  const stale = new RegExp(`^${path.basename(file).replace(/\./g, '\\.')}\\.\\d+\\.tmp$`)
  for (const entry of fs.readdirSync(path.dirname(file))) {
    if (stale.test(entry)) removeTemp(path.join(path.dirname(file), entry))
  }
}

/**
 * Writes `data` to `file` whole and atomically (temporary file, fsync, rename), once. Not conf's
 * writer: it retries EACCES/EPERM in a busy loop for 1 s, blocking the main process on every
 * write to an unwritable folder. The folder is recreated first, in case it was deleted while
 * Keygate runs.
 */
function writeWhole(file: string, data: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const temp = `${file}.${process.pid}.tmp`
  try {
    const fd = fs.openSync(temp, 'w', 0o600)
    try {
      fs.writeSync(fd, data)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, file)
  } catch (e) {
    removeTemp(temp)
    throw e
  }
}

/**
 * A KeyValueStore over one JSON file, read once when opened (through `conf`, which parses it and
 * checks it is an object) and then held in memory as one JSON text per key. Each write rewrites
 * the file whole from memory, so a data folder deleted while Keygate runs is recreated with every
 * value at the next write, and reads still answer meanwhile. The file has one writer, this
 * instance; a new one (a restart, another process) starts from the file. Values are serialised
 * when set, so an owner changing its object afterwards changes nothing stored, and each read
 * parses its own copy. A failed write leaves memory as the file is.
 */
export function fileKeyValueStore(
  file: string,
  initial: Record<string, unknown>,
  guard: <T>(fn: () => T) => T
): KeyValueStore {
  guard(() => removeStaleTemps(file))
  const texts = new Map<string, string>()
  for (const [key, value] of Object.entries(initial)) {
    const text = compactJson(value) as string | undefined
    if (text !== undefined) texts.set(key, text)
  }
  const content = (): string =>
    `{${Array.from(texts, ([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`

  const write = (key: string, value: unknown): void => {
    const before = texts.get(key)
    const text = value === undefined ? undefined : (compactJson(value) as string | undefined)
    texts.delete(key)
    if (text !== undefined) texts.set(key, text)
    try {
      writeWhole(file, content())
    } catch (e) {
      texts.delete(key)
      if (before !== undefined) texts.set(key, before)
      throw e
    }
  }

  return {
    get: <T>(key: string) => {
      const text = texts.get(key)
      return text === undefined ? undefined : (JSON.parse(text) as T)
    },
    set: (key, value) => guard(() => write(key, value)),
    delete: (key) => guard(() => write(key, undefined)),
    keys: () => [...texts.keys()]
  }
}

/** Opens one `conf` file (electron-store's own base class) as a KeyValueStore. */
function openStore(
  dir: string,
  name: string,
  onSetAside?: (notice: StoreSetAside) => void
): KeyValueStore {
  const file = path.join(dir, `${name}.json`)
  const guard = <T>(fn: () => T): T => guarded(file, name, fn)
  const conf = guard(() =>
    openOrSetAside(
      dir,
      name,
      () =>
        new Conf<Record<string, unknown>>({
          cwd: dir,
          configName: name,
          configFileMode: 0o600,
          clearInvalidConfig: false,
          accessPropertiesByDotNotation: false,
          serialize: compactJson
        }),
      onSetAside
    )
  )
  return fileKeyValueStore(file, conf.store, guard)
}

/**
 * Opens named JSON stores under `dir`, one file per name (`profiles.json`, ...), readable by
 * the owner only. Keys are literal (no dot paths), since ids may contain dots.
 */
export function createConfStoreFactory(
  dir: string,
  onSetAside?: (notice: StoreSetAside) => void
): StoreFactory {
  const open = new Map<string, KeyValueStore>()
  return (name) => {
    if (!storeName.test(name)) throw new Error(`Invalid store name: ${name}`)
    const existing = open.get(name)
    if (existing) return existing
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const store = openStore(dir, name, onSetAside)
    open.set(name, store)
    return store
  }
}
