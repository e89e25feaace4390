import type { ConnectionTest } from '../../../shared/domain'
import { decisionFor, type DecisionLog } from '../decisions/decision-log'
import type { Outbox } from '../outbox/outbox'
import type { ConnectionTestArgs } from '../profiles/connection-tester'
import type { DemoPortalManager } from '../profiles/demo-portal'
import type { ProfileService } from '../profiles/profile-service'
import type { PortalAdapterRegistry } from '../portal/portal-adapter'
import { profileSummaries, type ProfileFigures } from '../profiles/profile-summaries'
import type { SummaryPusher } from '../profiles/summary-pusher'
import type { HandlersFor, Push } from './handler-types'

export interface ProfileHandlerDeps {
  profiles: ProfileService
  /** Connectivity and pending counts for the summaries (the sync service). */
  figures: ProfileFigures
  /** Each summary carries its portal kind's capabilities. */
  adapters: PortalAdapterRegistry
  outbox: Pick<Outbox, 'flush' | 'cancelProfile' | 'pendingCounts' | 'list'>
  decisions: Pick<DecisionLog, 'markRemoved' | 'record'>
  /** OS user name, for a decision the log never heard of. */
  userName: string
  testProfile: (args: ConnectionTestArgs) => Promise<ConnectionTest>
  demo: Pick<DemoPortalManager, 'start'>
  summaries: Pick<SummaryPusher, 'schedule'>
  push: Push
}

/** `profiles:*` and `demo:start` (which creates the demo portal's profile). */
export function profileHandlers(
  deps: ProfileHandlerDeps
): HandlersFor<
  | 'profiles:list'
  | 'profiles:create'
  | 'profiles:update'
  | 'profiles:delete'
  | 'profiles:test'
  | 'demo:start'
> {
  const { profiles, outbox } = deps
  return {
    'profiles:list': () => profileSummaries(profiles, deps.figures, deps.adapters),
    'profiles:create': (input) => profiles.create(input),
    'profiles:update': async ({ id, patch }) => {
      const profile = await profiles.update(id, patch)
      deps.push('requests:changed', { profileIds: [id] })
      return profile
    },
    'profiles:delete': async ({ id, pendingActions }) => {
      const { name } = profiles.get(id)
      if (pendingActions === 'send') await outbox.flush(id, { ignoreBackoff: true })
      if (pendingActions === 'cancel') outbox.cancelProfile(id)
      // Never drop what an admin decided without asking: the renderer offers send or cancel.
      const counts = outbox.pendingCounts(id)
      if (counts.queued + counts.failed > 0) return { deleted: false, ...counts }
      // The log outlives the outbox items: its last word on each is what they hold now, also
      // where the outbox's own write of that was refused (a full disk).
      const items = outbox.list().filter((item) => item.profileId === id)
      deps.decisions.record(items.map((item) => decisionFor(item, deps.userName)))
      deps.decisions.markRemoved(id, name)
      await profiles.delete(id)
      return { deleted: true, queued: 0, failed: 0, uncertain: 0 }
    },
    'profiles:test': (args) => deps.testProfile(args),
    'demo:start': async () => {
      const profile = await deps.demo.start()
      deps.summaries.schedule()
      return profile
    }
  }
}
