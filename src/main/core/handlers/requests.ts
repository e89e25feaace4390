import type { ActionRunner } from '../decisions/action-runner'
import type { ListOverlay } from '../outbox/list-overlay'
import type { PortalClient } from '../portal/portal-client'
import type { ProfileService } from '../profiles/profile-service'
import { requestDetailView, requestView } from '../request-view'
import type { SyncService } from '../sync/sync-service'
import { withFlags } from '../triage/flags'
import { subscriptionsOf, type TriageContext } from '../triage/triage-context'
import type { HandlersFor } from './handler-types'

export interface RequestHandlerDeps {
  profiles: Pick<ProfileService, 'get'>
  sync: Pick<SyncService, 'list' | 'changedOnPortal' | 'view'>
  overlay: Pick<ListOverlay, 'queued' | 'pending'>
  client: (profileId: string) => Promise<PortalClient>
  actions: Pick<ActionRunner, 'approve' | 'decline' | 'decideMany' | 'undo'>
  /** What the flags and the developer's subscriptions are computed from. */
  triage: Pick<TriageContext, 'facts' | 'load'>
}

/**
 * `requests:*`, and the developer and policy lists the create-request form picks from. What
 * leaves here is the allowlisted view of `request-view.ts`, never a client's own object.
 */
export function requestHandlers(
  deps: RequestHandlerDeps
): HandlersFor<
  | 'requests:list'
  | 'requests:get'
  | 'requests:approve'
  | 'requests:decline'
  | 'requests:decideMany'
  | 'requests:undo'
  | 'requests:create'
  | 'developers:list'
  | 'policies:list'
> {
  const { sync, overlay, client, triage } = deps
  return {
    'requests:list': async (args) => {
      if (args.profileId !== undefined) deps.profiles.get(args.profileId)
      const view = await sync.list(args, overlay.queued)
      const shown = args.status === 'pending' ? overlay.pending(view) : view
      const items =
        args.status === 'pending'
          ? withFlags(shown.items, (profileId) => triage.facts(profileId))
          : shown.items
      return { ...shown, items: items.map(requestView) }
    },
    'requests:get': async ({ profileId, requestId }) => {
      const read = await (await client(profileId)).getRequest(requestId)
      const detail = { ...read, queued: overlay.queued(profileId, requestId) }
      const facts = await triage.load(profileId)
      const others = read.approved
        ? []
        : sync.view(profileId, 'pending').items.filter((item) => item.id !== requestId)
      const [flagged] = withFlags([detail, ...others], () => facts)
      return requestDetailView({
        ...detail,
        flags: flagged?.flags ?? [],
        subscriptions: subscriptionsOf(
          read.developer.id,
          facts,
          sync.view(profileId, 'approved').items
        )
      })
    },
    'requests:approve': (ref) => deps.actions.approve(ref),
    'requests:decline': (args) => deps.actions.decline(args),
    'requests:decideMany': async (args) => deps.actions.decideMany(args),
    'requests:undo': async ({ refs }) => deps.actions.undo(refs),
    'requests:create': async ({ profileId, developerId, policyIds, fields }) => {
      const id = await (
        await client(profileId)
      ).createRequest({ developerId, policyIds, fields: fields ?? {} })
      sync.changedOnPortal(profileId)
      return { id }
    },
    'developers:list': async ({ profileId }) => (await client(profileId)).listDevelopers(),
    'policies:list': async ({ profileId }) => (await client(profileId)).listPolicies()
  }
}
