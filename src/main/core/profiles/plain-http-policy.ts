import { isLoopbackHost } from '../http/loopback'

/** Whether the URL sends the API key unencrypted (http:// at all, loopback included). */
export const isPlainHttp = (baseUrl: string): boolean =>
  baseUrl.trim().toLowerCase().startsWith('http:')

/**
 * Why this Dashboard URL may not carry the API key, or null when it may: plain http only to a
 * loopback host, or where the admin opted in for this profile.
 */
export function plainHttpRefusal(baseUrl: string, allowHttp: boolean): string | null {
  if (!isPlainHttp(baseUrl) || allowHttp) return null
  let host: string
  try {
    host = new URL(baseUrl).hostname
  } catch {
    return null
  }
  if (isLoopbackHost(host)) return null
  return `http:// would send the API key to ${host} unencrypted: use https://, or allow plain http for this profile`
}
