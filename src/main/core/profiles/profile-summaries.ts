import type { Connectivity, ProfileSummary } from '../../../shared/domain'
import type { ProfileService } from './profile-service'

/** Where a profile's live figures come from (the sync service). */
export interface ProfileFigures {
  connectivity(profileId: string): Connectivity
  pendingCount(profileId: string): number | null
}

/** Profiles as the sidebar shows them: with secret presence, pending count and connectivity. */
export async function profileSummaries(
  profiles: Pick<ProfileService, 'list' | 'hasSecret'>,
  figures: ProfileFigures
): Promise<ProfileSummary[]> {
  return Promise.all(
    profiles.list().map(async (profile) => ({
      ...profile,
      hasSecret: await profiles.hasSecret(profile.id),
      pendingCount: figures.pendingCount(profile.id),
      connectivity: figures.connectivity(profile.id)
    }))
  )
}
