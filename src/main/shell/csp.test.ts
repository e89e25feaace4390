import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from './csp'

const directives = (policy: string): Map<string, string> =>
  new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/)
      return [name, values.join(' ')]
    })
  )

describe('contentSecurityPolicy', () => {
  it('allows only the app’s own scripts and connections in production', () => {
    const policy = directives(contentSecurityPolicy())
    expect(policy.get('default-src')).toBe("'none'")
    expect(policy.get('script-src')).toBe("'self'")
    expect(policy.get('connect-src')).toBe("'self'")
    expect(policy.get('object-src')).toBe("'none'")
    expect(policy.get('frame-ancestors')).toBe("'none'")
    expect(policy.get('base-uri')).toBe("'none'")
  })

  it('lists every directive of the production policy, with nothing loaded from elsewhere', () => {
    expect(Object.fromEntries(directives(contentSecurityPolicy()))).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
      'object-src': "'none'"
    })
  })

  it('opens only what the Vite dev server needs in development', () => {
    const policy = directives(contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' }))
    expect(policy.get('script-src')).toBe("'self' 'unsafe-inline'")
    expect(policy.get('connect-src')).toBe("'self' ws://localhost:5173")
    expect(
      directives(contentSecurityPolicy({ devServerOrigin: 'https://localhost:5173' })).get(
        'connect-src'
      )
    ).toBe("'self' wss://localhost:5173")
    expect(policy.get('default-src')).toBe("'none'")
  })
})

describe('the renderer page’s own policy', () => {
  it('is the production header minus frame-ancestors, which a meta tag cannot carry', async () => {
    const { readFile } = await import('node:fs/promises')
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const header = directives(contentSecurityPolicy())
    header.delete('frame-ancestors')
    expect(Object.fromEntries(directives(meta ?? ''))).toEqual(Object.fromEntries(header))
  })
})
