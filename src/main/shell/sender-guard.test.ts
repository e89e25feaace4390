import { describe, expect, it } from 'vitest'
import { APP_ORIGIN } from './origin-guard'
import { isTrustedSender } from './sender-guard'

const top = { url: 'app://keygate/index.html', parent: null }

describe('isTrustedSender', () => {
  it('trusts the top frame of the app origin', () => {
    expect(isTrustedSender(top, APP_ORIGIN)).toBe(true)
  })

  it('refuses a frame that is gone (navigated or destroyed)', () => {
    expect(isTrustedSender(null, APP_ORIGIN)).toBe(false)
    expect(isTrustedSender(undefined, APP_ORIGIN)).toBe(false)
  })

  it('refuses a subframe even on the app origin', () => {
    expect(isTrustedSender({ ...top, parent: top }, APP_ORIGIN)).toBe(false)
  })

  it.each(['https://evil.example/', 'app://keygate.evil/', 'about:blank', 'file:///index.html'])(
    'refuses a top frame showing %j',
    (url) => expect(isTrustedSender({ url, parent: null }, APP_ORIGIN)).toBe(false)
  )

  it('trusts the dev server only when that is the app origin', () => {
    const dev = { url: 'http://localhost:5173/', parent: null }
    expect(isTrustedSender(dev, 'http://localhost:5173')).toBe(true)
    expect(isTrustedSender(dev, APP_ORIGIN)).toBe(false)
  })
})
