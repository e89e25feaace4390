import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { contentSecurityPolicy } from './csp'
import { APP_SCHEME } from './origin-guard'
import { resolveAppAsset } from './protocol-guard'

/**
 * Declares `app:` a standard, secure scheme (stable origin for the sender check and CSP 'self',
 * fetch support, code cache). Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/**
 * Serves the built renderer from `root` at `app://keygate/` (Electron security checklist #18:
 * never `file://`). Anything outside `root` is a 404; every response carries the CSP.
 */
export function serveRenderer(root: string): void {
  const csp = contentSecurityPolicy()
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405 })
    }
    const file = resolveAppAsset(root, request.url)
    if (!file) return new Response('Not found', { status: 404 })
    let response: Response
    try {
      response = await net.fetch(pathToFileURL(file).toString())
    } catch {
      return new Response('Not found', { status: 404 })
    }
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', csp)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
