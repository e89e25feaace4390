import { describe, expect, it } from 'vitest'
import { isPlainHttp, keyNeededReason } from './key-needed'

const saved = { baseUrl: 'https://dash.example.com', customCa: null, pinnedSha256: null }

describe('keyNeededReason', () => {
  it('asks for the key when scheme, host or port change', () => {
    for (const baseUrl of [
      'http://dash.example.com',
      'https://dash.example.net',
      'https://dash.example.com:8443'
    ]) {
      expect(keyNeededReason(saved, { ...saved, baseUrl })).toBe(
        'Changing the Dashboard URL needs its API key again'
      )
    }
  })

  it('asks for the key when the custom CA changes', () => {
    expect(keyNeededReason(saved, { ...saved, customCa: 'PEM' })).toBe(
      'Changing the custom CA needs the API key again'
    )
  })

  it('asks for the key when the pinned certificate changes', () => {
    expect(keyNeededReason(saved, { ...saved, pinnedSha256: 'AA:BB' })).toBe(
      'Trusting a different certificate needs the API key again'
    )
  })

  it('keeps the key for the same origin, a path, a trailing slash or an unfinished URL', () => {
    for (const baseUrl of [
      'https://dash.example.com/',
      'https://DASH.example.com:443/api',
      'https://'
    ]) {
      expect(keyNeededReason(saved, { ...saved, baseUrl })).toBeNull()
    }
    expect(keyNeededReason(saved, { ...saved, customCa: '  ' })).toBeNull()
  })
})

describe('isPlainHttp', () => {
  it('is true for http:// only', () => {
    expect(isPlainHttp(' HTTP://127.0.0.1')).toBe(true)
    expect(isPlainHttp('https://dash')).toBe(false)
  })
})
