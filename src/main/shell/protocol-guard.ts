import path from 'node:path'
import { APP_HOST, APP_SCHEME } from './origin-guard'

/**
 * Maps an `app://keygate/...` request onto a file under `root`, or null when the URL is not ours
 * or would escape `root` (encoded `..`, separators, NUL bytes). `/` serves `index.html`.
 */
export function resolveAppAsset(root: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  // A decoded backslash would be a separator on Windows; NUL truncates paths in native code.
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const relative = pathname.replace(/^\/+/, '') || 'index.html'
  const base = path.resolve(root)
  const file = path.resolve(base, relative)
  return file.startsWith(base + path.sep) ? file : null
}
