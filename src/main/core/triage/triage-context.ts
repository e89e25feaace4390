import type { KeyRequest, Subscription } from '../../../shared/domain'
import type { PortalClient } from '../portal/portal-client'
import type { Clock, Logger } from '../ports'
import type { TriageFacts } from './flags'

/** Facts older than this are read again (in the background) when a list asks for them. */
export const TRIAGE_FACTS_MAX_AGE_MS = 2 * 60_000

export interface TriageContext {
  /**
   * The profile's facts as last read (null before the first read ends). Never waits: when they
   * are missing or older than the maximum age, one read starts in the background and
   * `onLoaded` says when it ended, so a list is never held up by policies or developers.
   */
  facts(profileId: string): TriageFacts | null
  /** The facts, waiting for the first read if there has been none. */
  load(profileId: string): Promise<TriageFacts | null>
  /**
   * An approval went through: the developer now holds those policies. Patched in place, so a
   * decision costs no re-read of policies, catalogue and developers (docs/architecture.md#flags).
   */
  granted(profileId: string, developerId: string, policyIds: readonly string[]): void
  forget(profileId: string): void
}

export interface TriageContextDeps {
  clientFor(profileId: string): Promise<PortalClient>
  clock: Clock
  logger: Logger
  onLoaded(profileId: string): void
  maxAgeMs?: number
}

interface Entry {
  facts: TriageFacts | null
  at: number
  reading: Promise<TriageFacts | null> | null
}

const settled = <T>(result: PromiseSettledResult<T>): T | null =>
  result.status === 'fulfilled' ? result.value : null

/**
 * One read of policies, catalogue and developers per profile at most every two minutes
 * (docs/architecture.md#flags), whatever the number of rows or polls: three list calls, each
 * of which may fail on its own and then raises no flag.
 */
export function createTriageContext(deps: TriageContextDeps): TriageContext {
  const maxAge = deps.maxAgeMs ?? TRIAGE_FACTS_MAX_AGE_MS
  const entries = new Map<string, Entry>()

  const read = async (profileId: string): Promise<TriageFacts | null> => {
    const client = await deps.clientFor(profileId)
    // A client of another kind may offer no catalogue or developer keys: no flags from them.
    const [policies, catalogue, access] = await Promise.allSettled([
      client.listPolicies(true),
      client.listCatalogue ? client.listCatalogue() : null,
      client.listDeveloperAccess ? client.listDeveloperAccess() : null
    ])
    const policyList = settled(policies)
    const entriesList = settled(catalogue)
    const accessList = settled(access)
    return {
      policyIds: policyList && new Set(policyList.map((policy) => policy.id)),
      cataloguePolicyIds:
        entriesList &&
        new Set(entriesList.map((entry) => entry.policyId).filter((id): id is string => !!id)),
      access:
        accessList &&
        new Map(accessList.map((item) => [item.developerId, new Set(item.policyIds)])),
      policyNames: new Map((policyList ?? []).map((policy) => [policy.id, policy.name]))
    }
  }

  const start = (profileId: string, entry: Entry): Promise<TriageFacts | null> => {
    if (entry.reading) return entry.reading
    const reading = read(profileId).then(
      (facts) => facts,
      (e: unknown) => {
        deps.logger.warn('Could not read policies, catalogue or developers for flags', {
          profileId,
          error: e
        })
        return entry.facts
      }
    )
    entry.reading = reading
    void reading.then((facts) => {
      if (entries.get(profileId) !== entry) return
      entry.facts = facts
      entry.at = deps.clock.now()
      entry.reading = null
      deps.onLoaded(profileId)
    })
    return reading
  }

  const entryOf = (profileId: string): Entry => {
    let entry = entries.get(profileId)
    if (!entry) {
      entry = { facts: null, at: Number.NEGATIVE_INFINITY, reading: null }
      entries.set(profileId, entry)
    }
    return entry
  }

  return {
    facts(profileId) {
      const entry = entryOf(profileId)
      if (deps.clock.now() - entry.at >= maxAge) void start(profileId, entry)
      return entry.facts
    },
    async load(profileId) {
      const entry = entryOf(profileId)
      if (entry.facts === null) return start(profileId, entry)
      if (deps.clock.now() - entry.at >= maxAge) void start(profileId, entry)
      return entry.facts
    },
    granted(profileId, developerId, policyIds) {
      const entry = entries.get(profileId)
      const access = entry?.facts?.access
      if (!entry?.facts || !access) return
      const held = new Set([...(access.get(developerId) ?? []), ...policyIds])
      entry.facts = { ...entry.facts, access: new Map(access).set(developerId, held) }
    },
    forget(profileId) {
      entries.delete(profileId)
    }
  }
}

/**
 * The policies a developer holds, named, each dated by the newest approved request of theirs
 * that asked for it among `approved` (what Keygate has read); never a key or key id.
 */
export function subscriptionsOf(
  developerId: string,
  facts: TriageFacts | null,
  approved: readonly KeyRequest[]
): Subscription[] | undefined {
  const held = facts?.access?.get(developerId)
  if (!facts || !held) return facts?.access ? [] : undefined
  return [...held].sort().map((policyId) => {
    let since: string | null = null
    for (const request of approved) {
      if (request.developer.id !== developerId || !request.createdAt) continue
      if (!request.policies.some((policy) => policy.id === policyId)) continue
      if (!since || request.createdAt > since) since = request.createdAt
    }
    return { policyId, policyName: facts.policyNames.get(policyId) ?? null, since }
  })
}
