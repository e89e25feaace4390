import type { ProfileSummary } from '../../../shared/domain'
import type { ProfileService } from './profile-service'
import type { ProfileStatus } from './profile-status'

/** Profiles as the sidebar shows them: with secret presence, pending count and connectivity. */
export async function profileSummaries(
  profiles: Pick<ProfileService, 'list' | 'hasSecret'>,
  status: Pick<ProfileStatus, 'connectivity' | 'pendingCount'>
): Promise<ProfileSummary[]> {
  return Promise.all(
    profiles.list().map(async (profile) => ({
      ...profile,
      hasSecret: await profiles.hasSecret(profile.id),
      pendingCount: status.pendingCount(profile.id),
      connectivity: status.connectivity(profile.id)
    }))
  )
}
