import type { NotificationRequest, Notifier } from '../../src/main/core/ports'

/** A Notifier that records what the app would show, and lets a test click it. */
export class RecordingNotifier implements Notifier {
  readonly shown: NotificationRequest[] = []
  isSupported(): boolean {
    return true
  }
  show(notification: NotificationRequest): void {
    this.shown.push(notification)
  }
}
