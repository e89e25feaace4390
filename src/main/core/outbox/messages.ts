import type { ActionKind, ConflictReason, OutboxItem } from '../../../shared/domain'
import type { AppError, ErrorCode } from '../../../shared/result'
import type { PortalCapabilities } from '../portal/portal-adapter'

/** How the portal treats a decline, which is all the wording below needs to know of it. */
export type DeclineCapability = Pick<PortalCapabilities, 'decline'>

/**
 * The outbox's decision table is written for a decline that deletes (docs/architecture.md#preflight),
 * so that is what its own messages say unless told the profile's capabilities.
 */
const deletes: DeclineCapability = { decline: 'deletes' }

/** What a decline does to a request on the portal, in the past tense: "deleted", "rejected". */
export const declinedWord = (portal: DeclineCapability): string =>
  portal.decline === 'deletes' ? 'deleted' : 'rejected'
/** The verb a decline is on the portal: "deletes", "rejects". */
const declineVerb = (portal: DeclineCapability): string =>
  portal.decline === 'deletes' ? 'deletes' : 'rejects'

const noun = (kind: ActionKind): string => (kind === 'approve' ? 'approval' : 'decline')

/**
 * How far the item's own call got before the conflict: `not-sent` (the pre-flight caught it),
 * `refused` (the Dashboard answered no), `unknown` (an earlier call's outcome was never known).
 */
export type CallProgress = 'not-sent' | 'refused' | 'unknown'

const progressWords: Record<CallProgress, string> = {
  'not-sent': 'Nothing was sent',
  refused: 'The Dashboard refused it',
  unknown: 'Keygate did not send it again'
}

/** The words shown for a conflict: what happened on the Dashboard, and what Keygate did. */
export function conflictError(
  kind: ActionKind,
  reason: ConflictReason,
  progress: CallProgress,
  portal: DeclineCapability = deletes
): AppError {
  const outcome = progressWords[progress]
  const message =
    reason === 'approved-elsewhere'
      ? kind === 'approve'
        ? `Already approved on the Dashboard before this approval took effect. ${outcome}; no key was issued to Keygate.`
        : `Approved on the Dashboard before this decline took effect. Keygate never ${declineVerb(portal)} an approved request. ${outcome}.`
      : `Declined or ${declinedWord(portal)} on the Dashboard before this ${noun(kind)} took effect. ${outcome}.`
  return { code: 'CONFLICT', message, retryable: false }
}

/**
 * The approve was applied but its reply, the only copy of the key, never arrived. Tyk keeps no
 * record of who approved, so a rival admin at the same moment cannot be ruled out. Names the
 * developer and the access requested, so the admin can find the key to revoke.
 */
export function responseLostError(
  code: ErrorCode,
  detail: string | null,
  label: OutboxItem['label'] = { developerEmail: null, catalogueName: null }
): AppError {
  const said = detail ? ` (${detail.replace(/\.$/, '')})` : ''
  const developer = label.developerEmail ?? 'the developer'
  const access = label.catalogueName ? ` for ${label.catalogueName}` : ''
  return {
    code,
    message:
      `Approved on the Dashboard, but the reply carrying the key was lost${said}, so Keygate cannot show the key. ` +
      'Keygate did not approve it a second time. ' +
      `${developer} holds a live key${access} that no admin has seen: unless they received it in the portal’s approval email, ` +
      `revoke that key on the Dashboard (Developers, ${developer}, its key${access}) and issue a new one, or ask them to request access again. ` +
      'If another admin approved it at the same moment, the key is theirs to pass on.',
    retryable: false
  }
}

/**
 * An approve whose earlier call's outcome was never known finds its request gone: Keygate cannot
 * tell whether its approval landed before the request was removed (deleting an approved request
 * does not revoke its key). Names the developer and the access, so the admin can look.
 */
export function removedAfterUnknownError(label: OutboxItem['label']): AppError {
  return {
    code: 'CONFLICT',
    message:
      'The request is no longer on the Dashboard, and Keygate cannot tell whether its approval reached it first. ' +
      'Keygate did not send it again. ' +
      ifApprovalLanded(label),
    retryable: false
  }
}

/** Where to look for the key an approval of unknown outcome may have issued. */
function ifApprovalLanded(label: OutboxItem['label']): string {
  const developer = label.developerEmail ?? 'the developer'
  const access = label.catalogueName ? ` for ${label.catalogueName}` : ''
  return (
    `If it did, ${developer} holds a live key${access} that no admin has seen: check their keys on the Dashboard ` +
    `(Developers, ${developer}) and revoke it if it is there.`
  )
}

/**
 * An action cancelled with its profile while an earlier call's outcome was unknown: it may have
 * taken effect, and after the profile is gone only the decision log can say so.
 */
export function cancelledAfterUnknownError(
  kind: ActionKind,
  label: OutboxItem['label'],
  code: ErrorCode
): AppError {
  const developer = label.developerEmail ?? 'the developer'
  const access = label.catalogueName ? ` for ${label.catalogueName}` : ''
  const ifItDid =
    kind === 'approve'
      ? ifApprovalLanded(label)
      : `If it did, the request of ${developer}${access} was declined there.`
  return {
    code,
    message:
      `Cancelled with its portal before Keygate could check whether an earlier attempt of this ${noun(kind)} reached the Dashboard. ` +
      ifItDid,
    retryable: false
  }
}

/** Why an item is waiting in `sending`: the call may have been applied, so Keygate re-reads first. */
export function outcomeUnknownError(kind: ActionKind, cause: AppError): AppError {
  return {
    code: cause.code,
    message:
      `${cause.message.replace(/\.$/, '')}. The ${noun(kind)} may have reached the Dashboard: ` +
      `Keygate re-checks the request before anything else and never sends it twice.`,
    retryable: true
  }
}

/** Keygate stopped while the item was marked `sending`; restart reconciles it. */
export const interruptedError: AppError = {
  code: 'INTERNAL',
  message:
    'Keygate stopped while this action was being sent. It re-checks the request on the Dashboard before doing anything else.',
  retryable: true
}

/** An unexpected failure, after a re-read showed the request untouched. */
export function unappliedError(cause: AppError): AppError {
  return {
    code: cause.code,
    message: `${cause.message.replace(/\.$/, '')}. The request is still pending, so nothing was applied: Retry to send it again.`,
    retryable: false
  }
}

/** The pre-flight read could not tell whether the request is still pending. */
export function checkFailedError(cause: AppError): AppError {
  return {
    code: cause.code,
    message: `Could not check the request before sending: ${cause.message}`,
    retryable: cause.retryable
  }
}

/**
 * One sentence for an item's current state, for `ActionOutcome.message` and notifications, in
 * the words of the portal's capabilities.
 */
export function describeOutboxItem(item: OutboxItem, portal: DeclineCapability): string {
  switch (item.state) {
    case 'queued':
      return item.lastError
        ? `Not sent yet: ${item.lastError.message} Keygate retries on its own.`
        : `Queued: the ${noun(item.kind)} will be sent shortly.`
    case 'sending':
      return item.lastError ? item.lastError.message : `Sending the ${noun(item.kind)}…`
    case 'done':
      if (item.resolution?.reason === 'response-lost' && item.lastError)
        return item.lastError.message
      if (item.resolution?.reason === 'already-removed') {
        return `Nothing to do: the request had already been declined or ${declinedWord(portal)} on the Dashboard.`
      }
      return item.kind === 'approve'
        ? 'Approved: the key can be shown once.'
        : `Declined: the request was ${declinedWord(portal)}.`
    case 'conflict':
    case 'failed':
      return item.lastError?.message ?? `The ${noun(item.kind)} did not go through.`
    case 'needs-auth':
      // A 403 is the user's permissions, not its key: a new secret would change nothing.
      if (item.lastError?.code === 'FORBIDDEN') {
        return `${item.lastError.message.replace(/\.$/, '')}. The API key itself is accepted: once the permission is granted, Retry.`
      }
      return `${item.lastError?.message ?? 'The Dashboard refused the API secret.'} Update the profile’s API secret: queued actions resume then.`
    case 'cancelled':
      if (item.resolution?.reason === 'cancelled-outcome-unknown' && item.lastError) {
        return item.lastError.message
      }
      return 'Cancelled: nothing was sent.'
  }
}
