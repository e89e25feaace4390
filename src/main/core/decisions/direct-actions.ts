import { randomUUID } from 'node:crypto'
import type {
  ActionKind,
  ActionOutcome,
  KeyNotice,
  OutboxState,
  RequestDetail
} from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { KeyVault } from '../keys/key-vault'
import { PortalCallFailure, type PortalClient } from '../portal/portal-client'
import { systemClock, type Clock, type Logger } from '../ports'
import type { PortalClientPool } from '../profiles/client-pool'
import type { DecisionLog } from './decision-log'

export interface DirectActions {
  /** Approves now; a credential the portal issued is in the vault under `notice`. */
  approve(ref: RequestRef): Promise<{ outcome: ActionOutcome; notice: KeyNotice | null }>
  /** Declines (DELETE) now, never touching a request that was approved meanwhile. */
  decline(ref: RequestRef & { reason?: string }): Promise<ActionOutcome>
}

export interface RequestRef {
  profileId: string
  requestId: string
}

export interface DirectActionsDeps {
  pool: PortalClientPool
  vault: KeyVault
  decisions: DecisionLog
  logger: Logger
  /** Recorded as `by` in the decision log. */
  userName: string
  clock?: Clock
}

const codeOf = (e: unknown): string | null => (e instanceof AppFailure ? e.error.code : null)

/**
 * Failures that say nothing about the request (portal unreachable, secret rejected, keychain
 * down): nothing was decided, so they are thrown for the user to fix and retry, not logged.
 */
const undecided = new Set([
  'OFFLINE',
  'TIMEOUT',
  'TLS',
  'AUTH_REJECTED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SERVER_ERROR',
  'KEYCHAIN_UNAVAILABLE'
])

const forWhom = (request: RequestDetail | null): string =>
  request?.developer.email ?? 'the developer'

/**
 * Approve and decline straight against the portal, with the outbox's rules in miniature (design
 * §3): check the request is still pending first, first decision wins, a DELETE never hits an
 * approved request, and an approve whose outcome is unknown is re-read rather than re-sent.
 */
export function createDirectActions(deps: DirectActionsDeps): DirectActions {
  const clock = deps.clock ?? systemClock

  const finish = (
    ref: RequestRef,
    kind: ActionKind,
    request: RequestDetail | null,
    state: OutboxState,
    message: string,
    extra: { reason?: string | null; keyId?: string | null } = {}
  ): ActionOutcome => {
    const opId = randomUUID()
    deps.decisions.record({
      opId,
      profileId: ref.profileId,
      requestId: ref.requestId,
      kind,
      reason: extra.reason ?? null,
      by: deps.userName,
      decidedAt: new Date(clock.now()).toISOString(),
      outcome: state,
      developerEmail: request?.developer.email ?? null
    })
    deps.logger.info('Decision', {
      opId,
      profileId: ref.profileId,
      requestId: ref.requestId,
      kind,
      state
    })
    return { opId, state, keyId: extra.keyId ?? null, message }
  }

  /** The request as the portal has it now; null when it is gone. */
  const current = async (
    client: PortalClient,
    requestId: string
  ): Promise<RequestDetail | null> => {
    try {
      return await client.getRequest(requestId)
    } catch (e) {
      if (codeOf(e) === 'NOT_FOUND') return null
      throw e
    }
  }

  /** The approve may have been applied: only a fresh read can tell, and the key is lost either way. */
  const reconcileApprove = async (
    client: PortalClient,
    ref: RequestRef,
    request: RequestDetail,
    failure: AppFailure
  ): Promise<{ outcome: ActionOutcome; notice: null }> => {
    let after: RequestDetail | null
    try {
      after = await current(client, ref.requestId)
    } catch {
      return {
        outcome: finish(
          ref,
          'approve',
          request,
          'failed',
          `${failure.message}. Whether the portal approved the request is unknown: check it in the Dashboard before approving again.`
        ),
        notice: null
      }
    }
    if (after?.approved) {
      const why =
        failure.error.code === 'INVALID_RESPONSE'
          ? failure.message
          : 'The portal approved the request, but its answer was lost on the way, so Keygate cannot show the key'
      return {
        outcome: finish(
          ref,
          'approve',
          request,
          'done',
          `${why}. Look the key up in the Dashboard.`
        ),
        notice: null
      }
    }
    // Still pending: nothing was applied, so the user may simply try again.
    throw failure
  }

  return {
    async approve(ref) {
      const client = await deps.pool.client(ref.profileId)
      const request = await current(client, ref.requestId)
      if (!request) {
        const message =
          'The request is gone from the portal (declined or deleted elsewhere); nothing was approved.'
        return { outcome: finish(ref, 'approve', null, 'conflict', message), notice: null }
      }
      if (request.approved) {
        const message =
          'Already approved elsewhere: the portal issued that key, and Keygate cannot show it.'
        return { outcome: finish(ref, 'approve', request, 'conflict', message), notice: null }
      }
      try {
        const credential = await client.approve(ref.requestId)
        const notice = deps.vault.add(
          {
            profileId: ref.profileId,
            requestId: ref.requestId,
            developerEmail: request.developer.email,
            catalogueName: request.catalogue?.name ?? null
          },
          credential
        )
        const what = credential.kind === 'key' ? 'key' : 'credentials'
        const message = `Approved: the ${what} for ${forWhom(request)} can be copied once.`
        return {
          outcome: finish(ref, 'approve', request, 'done', message, { keyId: notice.id }),
          notice
        }
      } catch (e) {
        const code = codeOf(e)
        if (
          e instanceof AppFailure &&
          ((e instanceof PortalCallFailure && e.details.outcomeUnknown) ||
            code === 'INVALID_RESPONSE')
        ) {
          return reconcileApprove(client, ref, request, e)
        }
        if (code === 'CONFLICT' || code === 'NOT_FOUND') {
          const message =
            code === 'CONFLICT'
              ? 'Already processed on the portal (approved elsewhere): no new key was issued.'
              : 'The request is gone from the portal (declined or deleted elsewhere); nothing was approved.'
          return { outcome: finish(ref, 'approve', request, 'conflict', message), notice: null }
        }
        if (!(e instanceof AppFailure) || undecided.has(e.error.code)) throw e
        return { outcome: finish(ref, 'approve', request, 'failed', e.message), notice: null }
      }
    },

    async decline(ref) {
      const reason = ref.reason?.trim() || null
      const client = await deps.pool.client(ref.profileId)
      const request = await current(client, ref.requestId)
      const alreadyRemoved = 'Already removed from the portal: nothing left to decline.'
      if (!request) return finish(ref, 'decline', null, 'done', alreadyRemoved, { reason })
      if (request.approved) {
        const message =
          'Not declined: the request was approved elsewhere meanwhile, and Keygate never deletes an approved request.'
        return finish(ref, 'decline', request, 'conflict', message, { reason })
      }
      try {
        await client.decline(ref.requestId)
      } catch (e) {
        if (codeOf(e) === 'NOT_FOUND') {
          return finish(ref, 'decline', request, 'done', alreadyRemoved, { reason })
        }
        // The DELETE may have landed before the answer was lost: a re-read settles it.
        if (e instanceof PortalCallFailure && e.details.outcomeUnknown) {
          const after = await current(client, ref.requestId).catch(() => request)
          if (after === null) {
            const message = `Declined: the request from ${forWhom(request)} is no longer on the portal.`
            return finish(ref, 'decline', request, 'done', message, { reason })
          }
        }
        if (!(e instanceof AppFailure) || undecided.has(e.error.code)) throw e
        return finish(ref, 'decline', request, 'failed', e.message, { reason })
      }
      const message = `Declined: the request from ${forWhom(request)} was removed from the portal.`
      return finish(ref, 'decline', request, 'done', message, { reason })
    }
  }
}
