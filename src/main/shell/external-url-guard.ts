/**
 * Electron security checklist #15: `shell.openExternal` gets only parsed http(s) URLs without
 * embedded credentials, re-serialised so the OS sees exactly what was checked.
 * Returns the URL to open, or null to refuse.
 */
export function safeExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 4096) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  return url.href
}
