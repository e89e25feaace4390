import type { Logger, NotificationRequest, Notifier } from '../core/ports'

/** The slice of Electron's Notification this adapter uses (injected, so tests run in Node). */
export interface NotificationHandle {
  on(event: 'click' | 'close' | 'failed', listener: (...args: unknown[]) => void): unknown
  show(): void
}

export interface NotificationClass {
  new (options: { title: string; body: string; icon?: string }): NotificationHandle
  isSupported(): boolean
}

/** Notifications the OS may still show; older ones are let go (their clicks no longer act). */
const maxRetained = 50

/**
 * A Notifier over Electron's `Notification`. Shown notifications stay referenced until clicked,
 * closed or failed: otherwise the garbage collector can drop them and a later click does nothing.
 * `isSupported` is asked each time (libnotify may be missing on Linux).
 */
export function createElectronNotifier(
  Notification: NotificationClass,
  logger: Logger,
  options: { icon?: string } = {}
): Notifier & { readonly retained: number } {
  const live = new Set<NotificationHandle>()
  return {
    get retained() {
      return live.size
    },
    isSupported: () => Notification.isSupported(),
    show(request: NotificationRequest) {
      if (!Notification.isSupported()) return
      const notification = new Notification({
        title: request.title,
        body: request.body,
        ...(options.icon ? { icon: options.icon } : {})
      })
      const release = (): boolean => live.delete(notification)
      notification.on('click', () => {
        release()
        request.onClick()
      })
      notification.on('close', release)
      notification.on('failed', (_event, error) => {
        release()
        logger.warn('A system notification could not be shown', { error: String(error) })
      })
      live.add(notification)
      if (live.size > maxRetained) {
        const oldest = live.values().next().value
        if (oldest) live.delete(oldest)
      }
      notification.show()
    }
  }
}
