import { describe, expect, it } from 'vitest'
import { docsPrefixes, safeExternalUrl } from './external-url-guard'

const allowed = {
  baseUrls: ['https://dashboard.example.com', 'http://127.0.0.1:3000/base']
}

describe('safeExternalUrl', () => {
  it("opens pages on a profile's own Dashboard origin, normalised", () => {
    expect(safeExternalUrl('https://dashboard.example.com/portal/requests', allowed)).toBe(
      'https://dashboard.example.com/portal/requests'
    )
    expect(safeExternalUrl('HTTPS://Dashboard.Example.com', allowed)).toBe(
      'https://dashboard.example.com/'
    )
    expect(safeExternalUrl('http://127.0.0.1:3000/other', allowed)).toBe(
      'http://127.0.0.1:3000/other'
    )
  })

  it('opens the documentation Keygate links to', () => {
    for (const prefix of docsPrefixes) {
      expect(safeExternalUrl(`${prefix}page#part`, allowed)).toBe(`${prefix}page#part`)
    }
  })

  it.each([
    ['another host', 'https://evil.example/'],
    ['a look-alike host', 'https://dashboard.example.com.evil.example/'],
    ['another port of the Dashboard host', 'https://dashboard.example.com:8443/'],
    ['the Dashboard over another scheme', 'http://dashboard.example.com/'],
    ['a sibling of the docs path', 'https://tyk.io/docs.evil/'],
    ['the docs host outside the docs', 'https://tyk.io/pricing'],
    ['docs over http', 'http://tyk.io/docs/x'],
    ['embedded credentials', 'https://user:pass@dashboard.example.com/'],
    ['a user name', 'https://user@dashboard.example.com/'],
    ['file:', 'file:///etc/passwd'],
    // A blob: URL's origin is its inner URL's: the Dashboard's own, though it is not a web page.
    ['a blob: URL of the Dashboard origin', 'blob:https://dashboard.example.com/0b6a7f3c'],
    ['javascript:', 'javascript:alert(1)'],
    ['smb:', 'smb://share/x'],
    ['ms-msdt:', 'ms-msdt:/id PCWDiagnostic'],
    ['data:', 'data:text/html,<script>1</script>'],
    ['mailto:', 'mailto:admin@example.com'],
    ['a relative path', '/relative/path'],
    ['an empty string', ''],
    ['an over-long URL', `https://dashboard.example.com/${'a'.repeat(5000)}`]
  ])('refuses %s', (_what, raw) => expect(safeExternalUrl(raw, allowed)).toBeNull())

  it('refuses every http(s) page when no profile exists, docs aside', () => {
    expect(safeExternalUrl('https://dashboard.example.com/', { baseUrls: [] })).toBeNull()
    expect(safeExternalUrl('https://example.com/', { baseUrls: ['not a url'] })).toBeNull()
  })

  it('takes a URL of up to 4096 characters', () => {
    const url = (length: number) => `https://example.com/${'a'.repeat(length - 20)}`
    const example = { baseUrls: ['https://example.com'] }
    expect(safeExternalUrl(url(4096), example)).toBe(url(4096))
    expect(safeExternalUrl(url(4097), example)).toBeNull()
  })

  it('refuses values that are not strings', () => {
    expect(safeExternalUrl(undefined, allowed)).toBeNull()
    expect(safeExternalUrl({ href: 'https://tyk.io/docs/' }, allowed)).toBeNull()
  })
})
