/** What the editor knows about where a saved API key may be sent. */
export interface TrustSettings {
  baseUrl: string
  customCa: string | null
  pinnedSha256: string | null
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url.trim()).origin
  } catch {
    return null
  }
}

const caOf = (ca: string | null): string => ca?.trim() ?? ''

/**
 * Why the edited settings need the API key again, or null. Mirrors main, which refuses such a
 * save without the key: the saved key only ever goes to the origin and TLS trust it was entered for.
 */
export function keyNeededReason(saved: TrustSettings, edited: TrustSettings): string | null {
  const from = originOf(saved.baseUrl)
  const to = originOf(edited.baseUrl)
  if (to !== null && from !== to) return 'Changing the Dashboard URL needs its API key again'
  if (caOf(saved.customCa) !== caOf(edited.customCa)) {
    return 'Changing the custom CA needs the API key again'
  }
  if ((saved.pinnedSha256 ?? null) !== (edited.pinnedSha256 ?? null)) {
    return 'Trusting a different certificate needs the API key again'
  }
  return null
}

/** Plain http:// (unencrypted), loopback included. */
export const isPlainHttp = (url: string): boolean => /^\s*http:/i.test(url)
