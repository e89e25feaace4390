import type { NotificationRequest, Notifier } from '../ports'

/** A Notifier that records what the app would show, so a test can read and click it. */
export class RecordingNotifier implements Notifier {
  readonly shown: NotificationRequest[] = []
  constructor(private readonly supported = true) {}
  isSupported(): boolean {
    return this.supported
  }
  show(notification: NotificationRequest): void {
    this.shown.push(notification)
  }
}
