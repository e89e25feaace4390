import { randomUUID } from 'node:crypto'
import type { IssuedCredential, KeyNotice } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
import { credentialSecrets } from '../portal/credential-secrets'
import { systemClock, type Clock } from '../ports'

export type KeyLabel = Omit<KeyNotice, 'id' | 'issuedAt' | 'status'>

/** How long an issued credential waits in memory to be revealed before it is dropped. */
export const UNREVEALED_TTL_MS = 10 * 60_000

export interface KeyVault {
  /**
   * Holds a freshly issued credential and answers the notice the renderer may see. `opId` links
   * it to the outbox action that approved it.
   */
  add(label: KeyLabel, credential: IssuedCredential, opId?: string): KeyNotice
  /** The credential an outbox action brought back, while it is held; null otherwise. */
  keyIdFor(opId: string): string | null
  /** Notices of every credential not yet dismissed (expired ones included), oldest first. */
  list(): KeyNotice[]
  /** The credential itself, which then stays until dismissed; throws NOT_FOUND once dropped. */
  reveal(id: string): IssuedCredential
  /** Drops the credential (or the notice of an expired one) for good; false when already gone. */
  dismiss(id: string): boolean
  /** Drops every credential of a deleted profile; true when any was held. */
  forgetProfile(profileId: string): boolean
}

interface Entry {
  notice: KeyNotice
  /** Null once expired: only the notice is left, to say so. */
  credential: IssuedCredential | null
  opId: string | null
  /** Cancels the expiry; a no-op once revealed or expired. */
  cancelExpiry: () => void
}

/**
 * Credentials issued on approval, held in main-process memory only: the portal shows a key once,
 * so Keygate never writes one to disk or a log (every value is registered with the redactor).
 * A credential goes when dismissed, or when it was not revealed within `UNREVEALED_TTL_MS`
 * (`onExpired` then tells the app its notice changed).
 */
export function createKeyVault(deps: {
  redactor: Pick<Redactor, 'register'>
  clock?: Clock
  onExpired?: (notice: KeyNotice) => void
}): KeyVault {
  const clock = deps.clock ?? systemClock
  const held = new Map<string, Entry>()
  const noop = (): void => {}

  function expire(entry: Entry): void {
    entry.credential = null
    entry.cancelExpiry = noop
    entry.notice = { ...entry.notice, status: 'expired' }
    deps.onExpired?.(entry.notice)
  }

  function drop(id: string): boolean {
    const entry = held.get(id)
    if (!entry) return false
    entry.cancelExpiry()
    return held.delete(id)
  }

  return {
    add(label, credential, opId) {
      for (const secret of credentialSecrets(credential)) deps.redactor.register(secret)
      const notice: KeyNotice = {
        ...label,
        id: randomUUID(),
        issuedAt: new Date(clock.now()).toISOString(),
        status: 'ready'
      }
      const entry: Entry = { notice, credential, opId: opId ?? null, cancelExpiry: noop }
      entry.cancelExpiry = clock.setTimeout(() => expire(entry), UNREVEALED_TTL_MS)
      held.set(notice.id, entry)
      return notice
    },
    keyIdFor(opId) {
      for (const entry of held.values()) {
        if (entry.opId === opId && entry.credential) return entry.notice.id
      }
      return null
    },
    list: () => [...held.values()].map((entry) => entry.notice),
    reveal(id) {
      const entry = held.get(id)
      if (!entry) {
        throw new AppFailure(
          'NOT_FOUND',
          'This credential was dismissed: Keygate shows an issued key only once and keeps no copy.'
        )
      }
      if (!entry.credential) {
        throw new AppFailure(
          'NOT_FOUND',
          'This key was not revealed within 10 minutes and has been dropped: revoke and re-issue it on the Dashboard.'
        )
      }
      entry.cancelExpiry()
      entry.cancelExpiry = noop
      return entry.credential
    },
    dismiss: drop,
    forgetProfile(profileId) {
      let any = false
      for (const [id, entry] of held) {
        if (entry.notice.profileId === profileId) any = drop(id) || any
      }
      return any
    }
  }
}
