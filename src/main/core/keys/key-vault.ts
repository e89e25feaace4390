import { randomUUID } from 'node:crypto'
import type { IssuedCredential, KeyNotice } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
import { credentialSecrets } from '../portal/issued-credential'
import { systemClock, type Clock } from '../ports'

export type KeyLabel = Omit<KeyNotice, 'id' | 'issuedAt'>

export interface KeyVault {
  /**
   * Holds a freshly issued credential and answers the notice the renderer may see. `opId` links
   * it to the outbox action that approved it.
   */
  add(label: KeyLabel, credential: IssuedCredential, opId?: string): KeyNotice
  /** The credential an outbox action brought back, while it is held; null otherwise. */
  keyIdFor(opId: string): string | null
  /** Notices of every credential not yet dismissed, oldest first. */
  list(): KeyNotice[]
  /** The credential itself; throws NOT_FOUND once dismissed. */
  reveal(id: string): IssuedCredential
  /** Drops the credential for good; false when it was already gone. */
  dismiss(id: string): boolean
  /** Drops every credential of a deleted profile; true when any was held. */
  forgetProfile(profileId: string): boolean
}

/**
 * Credentials issued on approval, held in main-process memory only: the portal shows a key once,
 * so Keygate never writes one to disk or a log (every value is registered with the redactor).
 */
export function createKeyVault(deps: {
  redactor: Pick<Redactor, 'register'>
  clock?: Clock
}): KeyVault {
  const clock = deps.clock ?? systemClock
  const held = new Map<
    string,
    { notice: KeyNotice; credential: IssuedCredential; opId: string | null }
  >()

  return {
    add(label, credential, opId) {
      for (const secret of credentialSecrets(credential)) deps.redactor.register(secret)
      const notice: KeyNotice = {
        ...label,
        id: randomUUID(),
        issuedAt: new Date(clock.now()).toISOString()
      }
      held.set(notice.id, { notice, credential, opId: opId ?? null })
      return notice
    },
    keyIdFor(opId) {
      for (const entry of held.values()) if (entry.opId === opId) return entry.notice.id
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
      return entry.credential
    },
    dismiss: (id) => held.delete(id),
    forgetProfile(profileId) {
      let any = false
      for (const [id, entry] of held) {
        if (entry.notice.profileId === profileId) any = held.delete(id) || any
      }
      return any
    }
  }
}
