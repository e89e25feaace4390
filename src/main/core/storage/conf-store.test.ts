import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { createConfStoreFactory } from './conf-store'

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

  it('reports a damaged file instead of wiping it', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'outbox.json'), '{not json')
    let caught: unknown
    try {
      createConfStoreFactory(dir)('outbox').get('items')
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(AppFailure)
    expect((caught as AppFailure).message).toMatch(/outbox store .* not valid JSON/)
    expect(readFileSync(path.join(dir, 'outbox.json'), 'utf8')).toBe('{not json')
  })

  it('rejects names that could escape the directory', () => {
    expect(() => createConfStoreFactory(tempDir())('../evil')).toThrow(/Invalid store name/)
  })
})
