import { isLoopbackHost } from '../http/loopback'

/** Whether the URL sends the API key unencrypted (http:// at all, loopback included). */
export const isPlainHttp = (dashboardUrl: string): boolean =>
  dashboardUrl.trim().toLowerCase().startsWith('http:')

/**
 * Why this Dashboard URL may not carry the API key, or null when it may: plain http only to a
 * loopback host, or where the admin opted in for this profile.
 */
export function plainHttpRefusal(dashboardUrl: string, allowHttp: boolean): string | null {
  if (!isPlainHttp(dashboardUrl) || allowHttp) return null
  let host: string
  try {
    host = new URL(dashboardUrl).hostname
  } catch {
    return null
  }
  if (isLoopbackHost(host)) return null
  return `http:// would send the API key to ${host} unencrypted: use https://, or allow plain http for this profile`
}
