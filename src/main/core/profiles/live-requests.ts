import type {
  KeyRequest,
  ListSource,
  RequestDetail,
  RequestListView,
  RequestStatus
} from '../../../shared/domain'
import { toAppError } from '../errors'
import { systemClock, type Clock } from '../ports'
import type { PortalClientPool } from './client-pool'
import type { ProfileService } from './profile-service'
import type { ProfileStatus } from './profile-status'

export interface LiveRequests {
  /**
   * Reads the lists straight from the portals: one profile, or every profile merged newest
   * first. A portal that fails shows up in `sources[].error`; it never fails the whole inbox.
   */
  list(args: { profileId?: string; status: RequestStatus }): Promise<RequestListView>
}

export interface LiveRequestsDeps {
  profiles: Pick<ProfileService, 'get' | 'list'>
  pool: PortalClientPool
  status: Pick<ProfileStatus, 'setPendingCount'>
  clock?: Clock
}

/** The list view carries no raw payloads: the detail pane asks for those one at a time. */
function summary(detail: RequestDetail, profileId: string): KeyRequest {
  const { raw: _raw, ...request } = detail
  return { ...request, profileId }
}

/** Newest first; requests without a creation date last; ties in a stable, id order. */
function newestFirst(a: KeyRequest, b: KeyRequest): number {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1
    if (b.createdAt === null) return -1
    return a.createdAt < b.createdAt ? 1 : -1
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Live reads across profiles, until the sync module's cached lists take over this job. */
export function createLiveRequests(deps: LiveRequestsDeps): LiveRequests {
  const clock = deps.clock ?? systemClock

  const read = async (
    profileId: string,
    status: RequestStatus
  ): Promise<{ items: KeyRequest[]; source: ListSource }> => {
    try {
      const client = await deps.pool.client(profileId)
      const details = await client.listRequests(status)
      if (status === 'pending') deps.status.setPendingCount(profileId, details.length)
      return {
        items: details.map((detail) => summary(detail, profileId)),
        source: {
          profileId,
          status,
          fetchedAt: new Date(clock.now()).toISOString(),
          stale: false,
          error: null
        }
      }
    } catch (e) {
      // No list is kept yet, so nothing is shown: stale with no fetch time says exactly that.
      return {
        items: [],
        source: { profileId, status, fetchedAt: null, stale: true, error: toAppError(e) }
      }
    }
  }

  return {
    async list({ profileId, status }) {
      const ids = profileId
        ? [deps.profiles.get(profileId).id]
        : deps.profiles.list().map((p) => p.id)
      const results = await Promise.all(ids.map((id) => read(id, status)))
      return {
        items: results.flatMap((result) => result.items).sort(newestFirst),
        sources: results.map((result) => result.source)
      }
    }
  }
}
