/**
 * Documentation Keygate may point the admin to. A link must start with one of these (each ends
 * with `/`, so `https://tyk.io/docs.evil.example` is not under `https://tyk.io/docs/`).
 */
export const docsPrefixes: readonly string[] = [
  'https://tyk.io/docs/',
  'https://github.com/TykTechnologies/tyk-docs/'
]

function originOf(raw: string): string | null {
  try {
    return new URL(raw).origin
  } catch {
    return null
  }
}

/**
 * Electron security checklist #15: `shell.openExternal` gets only an allowlisted http(s) URL,
 * re-serialised so the OS sees exactly what was checked: a page on one of the profiles' own
 * Dashboard origins (scheme, host and port), or the documentation above. Anything else a page
 * could ask for (another host, embedded credentials, file:, custom schemes) is refused.
 * Returns the URL to open, or null to refuse.
 */
export function safeExternalUrl(
  raw: unknown,
  allowed: { baseUrls: readonly string[] }
): string | null {
  if (typeof raw !== 'string' || raw.length > 4096) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  const dashboards = new Set(allowed.baseUrls.map(originOf))
  if (dashboards.has(url.origin)) return url.href
  return docsPrefixes.some((prefix) => url.href.startsWith(prefix)) ? url.href : null
}
