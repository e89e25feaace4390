import type { RemovedPortal } from '../../../shared/domain'
import type { DecisionLog } from '../decisions/decision-log'
import type { ProfileService } from '../profiles/profile-service'
import type { HandlersFor } from './handler-types'

export interface DecisionHandlerDeps {
  decisions: Pick<DecisionLog, 'list' | 'removedPortals'>
  profiles: Pick<ProfileService, 'get' | 'list'>
}

/**
 * The deleted portals whose decisions are kept. A profile that exists is never one of them,
 * whatever its log says: its decisions are listed under it.
 */
export function removedPortals(deps: DecisionHandlerDeps): RemovedPortal[] {
  const live = new Set(deps.profiles.list().map((profile) => profile.id))
  return deps.decisions.removedPortals().filter((portal) => !live.has(portal.profileId))
}

/** `decisions:*`: the local log of every approve and decline, and the deleted portals it keeps. */
export function decisionHandlers(
  deps: DecisionHandlerDeps
): HandlersFor<'decisions:list' | 'decisions:removedPortals'> {
  return {
    'decisions:list': async ({ profileId }) => {
      // A deleted portal's log stays readable; an id nothing was ever logged for is unknown.
      const entries = deps.decisions.list(profileId)
      if (entries.length === 0) deps.profiles.get(profileId)
      return entries
    },
    'decisions:removedPortals': async () => removedPortals(deps)
  }
}
