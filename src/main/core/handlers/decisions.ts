import type { DecisionLog } from '../decisions/decision-log'
import type { ProfileService } from '../profiles/profile-service'
import type { HandlersFor } from './handler-types'

export interface DecisionHandlerDeps {
  decisions: Pick<DecisionLog, 'list'>
  profiles: Pick<ProfileService, 'get'>
}

/** `decisions:list`: the local log of every approve and decline. */
export function decisionHandlers(deps: DecisionHandlerDeps): HandlersFor<'decisions:list'> {
  return {
    'decisions:list': async ({ profileId }) => {
      // A deleted portal's log stays readable; an id nothing was ever logged for is unknown.
      const entries = deps.decisions.list(profileId)
      if (entries.length === 0) deps.profiles.get(profileId)
      return entries
    }
  }
}
