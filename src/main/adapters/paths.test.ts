import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { appPaths, resolveUserDataDir } from './paths'

describe('resolveUserDataDir', () => {
  it('is <appData>/Keygate by default', () => {
    expect(resolveUserDataDir({}, '/home/a/.config')).toBe(path.join('/home/a/.config', 'Keygate'))
    expect(resolveUserDataDir({ KEYGATE_USER_DATA_DIR: '  ' }, '/cfg')).toBe(
      path.join('/cfg', 'Keygate')
    )
  })

  it('follows KEYGATE_USER_DATA_DIR, resolving a relative value', () => {
    expect(resolveUserDataDir({ KEYGATE_USER_DATA_DIR: '/tmp/kg-1' }, '/cfg')).toBe('/tmp/kg-1')
    expect(resolveUserDataDir({ KEYGATE_USER_DATA_DIR: 'data' }, '/cfg')).toBe(path.resolve('data'))
  })
})

describe('appPaths', () => {
  it('keeps stores and logs under userData', () => {
    expect(appPaths('/u')).toEqual({
      userData: '/u',
      stores: path.join('/u', 'stores'),
      logs: path.join('/u', 'logs')
    })
  })
})
