import { describe, expect, it } from 'vitest'
import { safeExternalUrl } from './external-url-guard'

describe('safeExternalUrl', () => {
  it('opens http(s) links, normalised', () => {
    expect(safeExternalUrl('https://tyk.io/docs')).toBe('https://tyk.io/docs')
    expect(safeExternalUrl('HTTP://Example.com')).toBe('http://example.com/')
  })

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://share/x',
    'ms-msdt:/id PCWDiagnostic',
    'data:text/html,<script>1</script>',
    'mailto:admin@example.com',
    '/relative/path',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    '',
    `https://example.com/${'a'.repeat(5000)}`
  ])('refuses %j', (raw) => expect(safeExternalUrl(raw)).toBeNull())

  it('takes a URL of up to 4096 characters', () => {
    const url = (length: number) => `https://example.com/${'a'.repeat(length - 20)}`
    expect(safeExternalUrl(url(4096))).toBe(url(4096))
    expect(safeExternalUrl(url(4097))).toBeNull()
  })

  it('refuses values that are not strings', () => {
    expect(safeExternalUrl(undefined)).toBeNull()
    expect(safeExternalUrl({ href: 'https://example.com' })).toBeNull()
  })
})
