import { isAppUrl } from './origin-guard'

/** The part of Electron's WebFrameMain the check needs, so it runs in plain Node tests. */
export interface SenderFrame {
  url: string
  parent: unknown
}

/**
 * Electron security checklist #17: only the app's own top frame may call main. A null frame
 * (navigated away or destroyed before the check) is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, appOrigin: string): boolean {
  if (!frame) return false
  if (frame.parent !== null) return false
  return isAppUrl(frame.url, appOrigin)
}
