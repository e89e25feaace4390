import type { Connectivity, PortalKind, ProfileSummary } from '../../../shared/domain'
import type { PortalAdapterRegistry } from '../portal/portal-adapter'
import type { ProfileService } from './profile-service'

/** Where a profile's live figures come from (the sync service). */
export interface ProfileFigures {
  connectivity(profileId: string): Connectivity
  pendingCount(profileId: string): number | null
}

/**
 * Profiles as the sidebar shows them: with their portal's capabilities, secret presence, pending
 * count and connectivity.
 */
export async function profileSummaries(
  profiles: Pick<ProfileService, 'list' | 'hasSecret'>,
  figures: ProfileFigures,
  adapters: Pick<PortalAdapterRegistry, 'adapterFor'>
): Promise<ProfileSummary[]> {
  const capabilitiesOf = (kind: PortalKind) => adapters.adapterFor(kind).capabilities
  return Promise.all(
    profiles.list().map(async (profile) => ({
      ...profile,
      capabilities: capabilitiesOf(profile.kind),
      hasSecret: await profiles.hasSecret(profile.id),
      pendingCount: figures.pendingCount(profile.id),
      connectivity: figures.connectivity(profile.id)
    }))
  )
}
