import type { WebContents } from 'electron'
import type { PushMessage } from '../../shared/ipc'
import { isAppUrl } from '../shell/origin-guard'

/**
 * Sends one push event to the window, if it is alive and still showing the app's own page
 * (never hand profile data to a page that is not ours).
 */
export function sendPush(
  contents: WebContents | null | undefined,
  message: PushMessage,
  appOrigin: string
): void {
  if (!contents || contents.isDestroyed()) return
  if (!isAppUrl(contents.getURL(), appOrigin)) return
  contents.send(message.event, message.payload)
}

/**
 * Forwards every AppCore push to whichever window is current (it may be closed and reopened on
 * macOS). Returns the unsubscribe function.
 */
export function forwardPushes(options: {
  subscribe: (listener: (message: PushMessage) => void) => () => void
  contents: () => WebContents | null
  appOrigin: string
}): () => void {
  return options.subscribe((message) => sendPush(options.contents(), message, options.appOrigin))
}
