import type { ActionKind, OutboxItem } from '../../../shared/domain'
import { declinedWord, describeOutboxItem, type DeclineCapability } from '../outbox/messages'

const noun = (kind: ActionKind): string => (kind === 'approve' ? 'approval' : 'decline')

/** Failures that mean the portal could not be reached at all, as opposed to answering badly. */
const unreachableCodes = new Set(['OFFLINE', 'TIMEOUT'])

const withoutFinalDot = (text: string): string => text.replace(/\.$/, '')

/**
 * The sentence an approve or decline answers with (`ActionOutcome.message`), in the words of the
 * profile it went to and its portal's capabilities. A queued action is good news said plainly,
 * never an error.
 */
export function actionMessage(
  item: OutboxItem,
  profile: { name: string; capabilities: DeclineCapability },
  keyReady: boolean
): string {
  const profileName = profile.name
  const what = noun(item.kind)
  const error = item.lastError
  if (item.state === 'queued' && error) {
    if (unreachableCodes.has(error.code)) {
      return `Portal unreachable: ${what} queued, it will be sent when ${profileName} is back.`
    }
    return `${profileName} did not take the ${what} yet (${withoutFinalDot(error.message)}): it stays queued and Keygate retries on its own.`
  }
  if (item.state === 'sending' && !error) {
    return `Still sending the ${what} to ${profileName}: the outbox shows how it ends.`
  }
  if (item.state === 'done' && item.resolution === null) {
    const who = item.label.developerEmail ?? 'the developer'
    if (item.kind === 'decline') {
      return `Declined: the request from ${who} was ${declinedWord(profile.capabilities)} on ${profileName}.`
    }
    return keyReady
      ? `Approved: the key for ${who} can be copied once.`
      : `Approved on ${profileName} for ${who}.`
  }
  return describeOutboxItem(item, profile.capabilities)
}
