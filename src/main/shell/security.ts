import { app, shell, type Session, type WebContents } from 'electron'
import type { Logger } from '../core/ports'
import { contentSecurityPolicy } from './csp'
import { safeExternalUrl } from './external-url-guard'
import { isAppUrl } from './origin-guard'
import { isPermissionAllowed } from './permission-guard'

/** The saved profiles' Dashboard URLs, read at the moment a link is opened. */
export type BaseUrls = () => readonly string[]

/** Opens a link in the user's browser when the allowlist has it; logs a refusal. */
export function openExternalSafely(raw: string, logger: Logger, baseUrls: BaseUrls): void {
  const url = safeExternalUrl(raw, { baseUrls: baseUrls() })
  if (!url) {
    logger.warn('Refused to open a link outside the Dashboards and the docs', {
      url: raw.slice(0, 200)
    })
    return
  }
  shell.openExternal(url).catch((error: unknown) => {
    logger.warn('Could not open a link in the browser', { error: String(error) })
  })
}

/**
 * Session-wide rules (Electron security checklist #5, #7): permissions refused but for the
 * clipboard write of the Copy button, and the CSP header on every app document.
 */
export function hardenSession(
  session: Session,
  options: { appOrigin: string; devServerOrigin?: string }
): void {
  const { appOrigin } = options
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, appOrigin))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin)
  )
  const csp = contentSecurityPolicy(
    options.devServerOrigin ? { devServerOrigin: options.devServerOrigin } : {}
  )
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, appOrigin)) {
      callback({})
      return
    }
    const headers: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value
    }
    headers['Content-Security-Policy'] = [csp]
    callback({ responseHeaders: headers })
  })
}

/** Checklist #13/#14 for one WebContents: no new windows, no navigation away, no webviews. */
function guardContents(
  contents: WebContents,
  appOrigin: string,
  logger: Logger,
  baseUrls: BaseUrls
): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, logger, baseUrls)
    return { action: 'deny' }
  })
  const keepInApp = (event: { preventDefault(): void; url: string }): void => {
    if (isAppUrl(event.url, appOrigin)) return
    event.preventDefault()
    openExternalSafely(event.url, logger, baseUrls)
  }
  contents.on('will-navigate', keepInApp)
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url, appOrigin)) return
    event.preventDefault()
    logger.warn('Blocked a redirect away from the app', { url: event.url.slice(0, 200) })
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Applies the navigation guards to every WebContents the app ever creates. */
export function guardAllWebContents(appOrigin: string, logger: Logger, baseUrls: BaseUrls): void {
  app.on('web-contents-created', (_event, contents) =>
    guardContents(contents, appOrigin, logger, baseUrls)
  )
}
