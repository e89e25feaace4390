import type { KeyRequest, OutboxItem, Profile } from '../../../shared/domain'
import type { Logger, Notifier } from '../ports'

/** Requests named in a notification body; the rest are counted. */
export const NOTIFICATION_SHOWN_ITEMS = 3

export interface NotificationText {
  title: string
  body: string
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

function listWithMore(lines: string[]): string {
  const shown = lines.slice(0, NOTIFICATION_SHOWN_ITEMS)
  const more = lines.length - shown.length
  return more > 0 ? [...shown, `and ${more} more`].join('\n') : shown.join('\n')
}

function requestLabel(
  developerEmail: string | null,
  catalogueName: string | null,
  fallback: string
): string {
  return `${developerEmail ?? fallback} — ${catalogueName ?? 'no catalogue entry'}`
}

function catalogueName(request: KeyRequest): string | null {
  return (
    request.catalogue?.name ??
    request.catalogues[0]?.name ??
    request.policies[0]?.name ??
    request.details.forApi
  )
}

/** "3 new key requests on Production" with one "developer — catalogue entry" line per request. */
export function newRequestsText(
  profileName: string,
  requests: readonly KeyRequest[]
): NotificationText {
  return {
    title: `${plural(requests.length, 'new key request', 'new key requests')} on ${profileName}`,
    body: listWithMore(
      requests.map((request) =>
        requestLabel(
          request.developer.email,
          catalogueName(request),
          `developer ${request.developer.id}`
        )
      )
    )
  }
}

function problemWords(item: OutboxItem): string {
  if (item.state === 'conflict') {
    switch (item.resolution?.reason) {
      case 'removed-elsewhere':
        return 'removed elsewhere'
      case 'removed-outcome-unknown':
        return 'removed elsewhere, a key may have been issued'
      default:
        return 'approved elsewhere'
    }
  }
  if (item.state === 'needs-auth') {
    return item.lastError?.code === 'FORBIDDEN'
      ? 'refused: no write permission'
      : 'API secret rejected'
  }
  return item.lastError ? `failed: ${item.lastError.message}` : 'failed'
}

/** "2 queued actions on Production need attention", one line per action and what happened. */
export function replayProblemsText(
  profileName: string,
  items: readonly OutboxItem[]
): NotificationText {
  const verb = items.length === 1 ? 'needs' : 'need'
  return {
    title: `${plural(items.length, 'queued action', 'queued actions')} on ${profileName} ${verb} attention`,
    body: listWithMore(
      items.map((item) => {
        const action = item.kind === 'approve' ? 'Approve' : 'Decline'
        const label = requestLabel(item.label.developerEmail, item.label.catalogueName, 'request')
        return `${action} ${label}: ${problemWords(item)}`
      })
    )
  }
}

export type NotifiedProfile = Pick<Profile, 'id' | 'name' | 'notifications'>

export interface NewRequestNotifierOptions {
  notifier: Notifier
  logger: Logger
  /** A notification was clicked: focus the window on this request. */
  onClick: (profileId: string, requestId: string) => void
}

/** Turns sync and replay events into at most one OS notification each. */
export class NewRequestNotifier {
  constructor(private readonly options: NewRequestNotifierOptions) {}

  /**
   * One notification for every request a poll found new, newest first; a click opens the first.
   * Answers whether one was shown (not when the profile has notifications off or the OS has none).
   */
  announce(profile: NotifiedProfile, requests: readonly KeyRequest[]): boolean {
    const first = requests[0]
    if (!first || !profile.notifications) return false
    return this.show(newRequestsText(profile.name, requests), profile.id, first.id)
  }

  /**
   * Notifies that an outbox replay ended with conflicts or failures. Shown even when the profile's
   * new-request notifications are off: these are the admin's own decisions that did not land.
   */
  replayProblems(profile: NotifiedProfile, items: readonly OutboxItem[]): boolean {
    const first = items[0]
    if (!first) return false
    return this.show(replayProblemsText(profile.name, items), profile.id, first.requestId)
  }

  private show(text: NotificationText, profileId: string, requestId: string): boolean {
    if (!this.options.notifier.isSupported()) {
      this.options.logger.info('Notifications are not supported here; skipped one', { profileId })
      return false
    }
    this.options.notifier.show({
      ...text,
      onClick: () => this.options.onClick(profileId, requestId)
    })
    return true
  }
}
