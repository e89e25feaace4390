import { isAppUrl } from './origin-guard'

/**
 * Every web permission is refused except writing plain text to the clipboard (the "Copy" button
 * on a newly issued key), and that only for the app's own origin.
 */
const allowedPermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  appOrigin: string
): boolean {
  return allowedPermissions.has(permission) && isAppUrl(requestingUrl, appOrigin)
}
