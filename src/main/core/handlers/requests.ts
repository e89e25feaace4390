import type { ActionRunner } from '../decisions/action-runner'
import type { ListOverlay } from '../outbox/list-overlay'
import type { PortalClient } from '../portal/portal-client'
import type { ProfileService } from '../profiles/profile-service'
import { requestDetailView, requestView } from '../request-view'
import type { SyncService } from '../sync/sync-service'
import type { HandlersFor } from './handler-types'

export interface RequestHandlerDeps {
  profiles: Pick<ProfileService, 'get'>
  sync: Pick<SyncService, 'list' | 'changedOnPortal'>
  overlay: Pick<ListOverlay, 'queued' | 'pending'>
  client: (profileId: string) => Promise<PortalClient>
  actions: Pick<ActionRunner, 'approve' | 'decline' | 'decideMany' | 'undo'>
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
  const { sync, overlay, client } = deps
  return {
    'requests:list': async (args) => {
      if (args.profileId !== undefined) deps.profiles.get(args.profileId)
      const view = await sync.list(args, overlay.queued)
      const shown = args.status === 'pending' ? overlay.pending(view) : view
      return { ...shown, items: shown.items.map(requestView) }
    },
    'requests:get': async ({ profileId, requestId }) => {
      const detail = await (await client(profileId)).getRequest(requestId)
      return requestDetailView({ ...detail, queued: overlay.queued(profileId, requestId) })
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
