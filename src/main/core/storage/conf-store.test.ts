import { spawnSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createConfStoreFactory, type StoreSetAside } from './conf-store'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-conf-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('createConfStoreFactory', () => {
  it('persists values in an owner-only JSON file that a new factory reads back', () => {
    const dir = tempDir()
    const store = createConfStoreFactory(dir)('profiles')
    store.set('list', [{ id: 'a' }])
    store.set('count', 2)
    store.delete('count')

    const reopened = createConfStoreFactory(dir)('profiles')
    expect(reopened.get('list')).toEqual([{ id: 'a' }])
    expect(reopened.get('count')).toBeUndefined()
    const file = path.join(dir, 'profiles.json')
    // Compact: a 10,000-request cache is rewritten whole on every set.
    expect(readFileSync(file, 'utf8')).toBe('{"list":[{"id":"a"}]}')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('writes each value as it was when set, though its owner changes it afterwards', () => {
    const dir = tempDir()
    const store = createConfStoreFactory(dir)('decisions')
    const entries = [{ opId: 'a' }]
    store.set('p1', entries)
    entries.push({ opId: 'not-yet-saved' })
    store.set('p2', [{ opId: 'b' }])
    store.set('p2', [{ opId: 'c' }])

    expect(store.get('p1')).toEqual([{ opId: 'a' }])
    expect(readFileSync(path.join(dir, 'decisions.json'), 'utf8')).toBe(
      '{"p1":[{"opId":"a"}],"p2":[{"opId":"c"}]}'
    )
  })

  it('hands out copies: changing a value read back changes nothing stored', () => {
    const dir = tempDir()
    const store = createConfStoreFactory(dir)('profiles')
    store.set('list', [{ id: 'a' }])
    store.set('other', 1)
    store.get<{ id: string }[]>('list')!.push({ id: 'changed' })
    store.set('other', 2)

    expect(store.get('list')).toEqual([{ id: 'a' }])
    expect(createConfStoreFactory(dir)('profiles').get('list')).toEqual([{ id: 'a' }])
  })

  it('keeps every key through repeated writes of one key and deletes', () => {
    const dir = tempDir()
    const store = createConfStoreFactory(dir)('outbox')
    store.set('keep', 'k')
    store.set('gone', 'g')
    for (let n = 0; n < 3; n++) store.set('items', [n])
    store.delete('gone')
    store.set('items', [3])
    store.set('later', true)

    expect(readFileSync(path.join(dir, 'outbox.json'), 'utf8')).toBe(
      '{"keep":"k","items":[3],"later":true}'
    )
  })

  it('starts each new instance from the file, as a restart after a kill does', () => {
    const dir = tempDir()
    const killed = createConfStoreFactory(dir)('outbox')
    killed.set('profile', 'p1')
    killed.set('items', [{ state: 'queued' }])
    killed.set('items', [{ state: 'sending' }])

    const restarted = createConfStoreFactory(dir)('outbox')
    expect(restarted.get('items')).toEqual([{ state: 'sending' }])
    restarted.set('items', [{ state: 'done' }])

    const third = createConfStoreFactory(dir)('outbox')
    expect(third.get('items')).toEqual([{ state: 'done' }])
    expect(third.get('profile')).toBe('p1')
  })

  it('after a failed write, keeps the file as it was and later writes lose nothing', () => {
    const dir = tempDir()
    const file = path.join(dir, 'cache.json')
    const store = createConfStoreFactory(dir)('cache')
    store.set('a', 1)
    store.set('b', 1)
    const saved = readFileSync(file, 'utf8')
    // A directory with something in it where the file goes: the atomic rename onto it fails.
    rmSync(file)
    mkdirSync(path.join(file, 'blocker'), { recursive: true })
    expect(() => store.set('b', 2)).toThrow()
    rmSync(file, { recursive: true })
    writeFileSync(file, saved)

    store.set('a', 3)
    expect(readFileSync(file, 'utf8')).toBe('{"b":1,"a":3}')
  })

  it('treats dots in keys literally', () => {
    const store = createConfStoreFactory(tempDir())('cache')
    store.set('5e9d.9f', 'x')
    expect(store.get('5e9d.9f')).toBe('x')
    expect(store.get('5e9d')).toBeUndefined()
  })

  it('keeps separate files per name and treats set(undefined) as delete', () => {
    const factory = createConfStoreFactory(tempDir())
    factory('one').set('k', 1)
    factory('two').set('k', 2)
    expect(factory('one').get('k')).toBe(1)
    factory('two').set('k', undefined)
    expect(factory('two').get('k')).toBeUndefined()
  })

  it('moves a damaged file aside with a timestamp, starts that store empty and says where the file went', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'outbox.json'), '{not json')
    const notices: StoreSetAside[] = []
    const store = createConfStoreFactory(dir, (notice) => notices.push(notice))('outbox')
    expect(store.get('items')).toBeUndefined()
    store.set('items', [])

    expect(notices).toHaveLength(1)
    const [notice] = notices
    expect(notice!.file).toBe(path.join(dir, 'outbox.json'))
    expect(path.dirname(notice!.movedTo)).toBe(dir)
    expect(path.basename(notice!.movedTo)).toMatch(/^outbox\.unreadable-\d{8}T\d{6}Z\.json$/)
    expect(readFileSync(notice!.movedTo, 'utf8')).toBe('{not json')
    expect(notice!.message).toContain(notice!.file)
    expect(notice!.message).toContain(notice!.movedTo)
    expect(notice!.message).toMatch(/queued approvals and declines/)
    expect(createConfStoreFactory(dir)('outbox').get('items')).toEqual([])
  })

  it('says a damaged cache is rebuilt from the portals', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'cache.json'), '\u0000\u0000')
    const notices: StoreSetAside[] = []
    createConfStoreFactory(dir, (notice) => notices.push(notice))('cache').get('lists')
    expect(notices[0]!.message).toMatch(/rebuilt from the portals/)
  })

  it('rejects names that could escape the directory', () => {
    expect(() => createConfStoreFactory(tempDir())('../evil')).toThrow(/Invalid store name/)
  })
})

describe('store files the system refuses', () => {
  it('names the file and the fix when the store path is a folder (EISDIR)', () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'decisions.json'))
    let message = ''
    try {
      createConfStoreFactory(dir)('decisions').get('p1')
    } catch (e) {
      message = e instanceof Error ? e.message : String(e)
    }
    expect(message).toContain(path.join(dir, 'decisions.json'))
    expect(message).toMatch(/EISDIR/)
    expect(message).toMatch(/is a folder: move it away/)
  })
})

describe('a data folder that goes away or refuses writes', () => {
  it('recreates a folder deleted while running and writes every value back from memory', () => {
    const dir = path.join(tempDir(), 'data')
    const factory = createConfStoreFactory(dir)
    const profiles = factory('profiles')
    const outbox = factory('outbox')
    profiles.set('profiles', [{ id: 'p1' }])
    outbox.set('items', [{ opId: 'o1', state: 'queued' }])
    outbox.set('version', 2)

    rmSync(dir, { recursive: true })
    expect(profiles.get('profiles')).toEqual([{ id: 'p1' }])
    outbox.set('version', 3)
    profiles.set('leftovers', [])

    expect(statSync(dir).mode & 0o777).toBe(0o700)
    const restarted = createConfStoreFactory(dir)
    expect(restarted('profiles').get('profiles')).toEqual([{ id: 'p1' }])
    expect(restarted('outbox').get('items')).toEqual([{ opId: 'o1', state: 'queued' }])
    expect(restarted('outbox').get('version')).toBe(3)
  })

  it('a failed write changes nothing held in memory', () => {
    const dir = tempDir()
    const store = createConfStoreFactory(dir)('cache')
    store.set('a', 1)
    const file = path.join(dir, 'cache.json')
    rmSync(file)
    mkdirSync(path.join(file, 'blocker'), { recursive: true })
    expect(() => store.set('a', 2)).toThrow(/cache\.json/)
    expect(store.get('a')).toBe(1)
  })

  it('tries a write to a folder it may not write to once, not in a retry loop, and names the file and the fix', (ctx) => {
    // Permissions do not bind root: as root the store runs in a child process without the
    // capabilities that override them (it stays root, so it can still read the project, wherever
    // the checkout is and whatever its folder's mode).
    const root = process.getuid?.() === 0
    if (process.platform === 'win32') {
      ctx.skip('folder permissions are POSIX here')
      return
    }
    const dir = tempDir()
    const storeModule = fileURLToPath(new URL('./conf-store.ts', import.meta.url))
    const script = `
      import fs from 'node:fs'
      let opens = 0
      const open = fs.openSync
      fs.openSync = (...args) => { opens += 1; return open(...args) }
      const { createConfStoreFactory } = await import(${JSON.stringify(storeModule)})
      const store = createConfStoreFactory(process.argv[1])('profiles')
      fs.chmodSync(process.argv[1], 0o500)
      let message = ''
      const before = opens
      try { store.set('profiles', []) } catch (e) { message = e.message }
      fs.chmodSync(process.argv[1], 0o700)
      console.log(JSON.stringify({ opens: opens - before, message }))
    `
    const command = root
      ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', process.execPath]
      : [process.execPath]
    const child = spawnSync(
      command[0]!,
      [...command.slice(1), '--import', 'tsx', '--input-type=module', '-e', script, dir],
      { encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: undefined } }
    )
    expect(child.stderr).toBe('')
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      opens: number
      message: string
    }
    expect(result.opens).toBe(1)
    expect(result.message).toContain(path.join(dir, 'profiles.json'))
    expect(result.message).toMatch(
      /not readable or writable by you: fix its permissions \(EACCES\)/
    )
  })

  it('removes the temporary file a process killed mid-write left, and only that', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'outbox.json.4242.tmp'), '{"items":[')
    writeFileSync(path.join(dir, 'outbox.json.notes.tmp'), 'kept')
    createConfStoreFactory(dir)('outbox')
    expect(readdirSync(dir).sort()).toEqual(['outbox.json.notes.tmp'])
  })
})
