import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, isAppUrl, originOf, rendererOrigin } from './origin-guard'

describe('originOf', () => {
  it('rebuilds the origin of custom-scheme URLs, which Node reports as "null"', () => {
    expect(new URL('app://keygate/index.html').origin).toBe('null')
    expect(originOf('app://keygate/index.html')).toBe('app://keygate')
    expect(originOf('APP://KeyGate/x')).toBe('app://keygate')
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173')
  })

  it.each(['about:blank', 'data:text/html,hi', 'file:///etc/passwd', 'not a url', ''])(
    'has no origin for %j',
    (raw) => expect(originOf(raw)).toBeNull()
  )
})

describe('isAppUrl', () => {
  it('accepts any path on the app origin', () => {
    expect(isAppUrl('app://keygate/', APP_ORIGIN)).toBe(true)
    expect(isAppUrl('app://keygate/assets/index-abc.js?x#y', APP_ORIGIN)).toBe(true)
  })

  it.each([
    'app://keygate.evil.com/',
    'app://evil/keygate',
    'app://keygate@evil/',
    'https://keygate/',
    'file:///app/keygate/index.html',
    'javascript:alert(1)'
  ])('refuses the lookalike %j in production', (raw) => {
    expect(isAppUrl(raw, APP_ORIGIN)).toBe(false)
  })

  it('matches the dev server by scheme, host and port', () => {
    const origin = rendererOrigin('http://localhost:5173/')
    expect(isAppUrl('http://localhost:5173/index.html', origin)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', origin)).toBe(false)
    expect(isAppUrl('http://localhost:5173@evil.com/', origin)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', origin)).toBe(false)
  })
})

describe('rendererOrigin', () => {
  it('is the custom protocol without a dev server', () => {
    expect(rendererOrigin(undefined)).toBe('app://keygate')
  })

  it('rejects a dev server URL it cannot parse', () => {
    expect(() => rendererOrigin('localhost:5173')).toThrow(/ELECTRON_RENDERER_URL/)
  })
})
