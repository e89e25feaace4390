/**
 * The origin the renderer is served from, compared as `scheme://host[:port]`. Node's URL reports
 * `origin: "null"` for non-special schemes such as `app:`, so the origin is rebuilt by hand.
 */

/** Scheme and host of the production renderer: `app://keygate/index.html`. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'keygate'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** `scheme://host[:port]` in lower case, or null for URLs without a host (about:, data:, file:). */
export function originOf(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (!url.host) return null
  return `${url.protocol}//${url.host}`.toLowerCase()
}

/** True when `raw` is served from exactly `appOrigin` (no lookalike host, port or userinfo trick). */
export function isAppUrl(raw: string, appOrigin: string): boolean {
  const origin = originOf(raw)
  return origin !== null && origin === appOrigin.toLowerCase()
}

/**
 * The renderer's origin: the dev server in development (electron-vite sets ELECTRON_RENDERER_URL),
 * the custom protocol otherwise.
 */
export function rendererOrigin(devServerUrl: string | undefined): string {
  if (!devServerUrl) return APP_ORIGIN
  const origin = originOf(devServerUrl)
  if (!origin) throw new Error(`ELECTRON_RENDERER_URL is not a usable URL: ${devServerUrl}`)
  return origin
}
