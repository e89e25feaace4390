import type { Policy, PolicyRef } from '../../../../shared/domain'
import type { Logger } from '../../ports'
import { PortalCallFailure } from '../portal-client'

/** A policy id we do not know triggers a re-read, but not more often than this. */
const unknownIdRefreshMs = 60_000
/** After a 403 on policies, names stay null and the read is not retried before this. */
const forbiddenBackoffMs = 5 * 60_000

export interface PolicyDirectory {
  /** Every policy, cached; `refresh` forces a re-read. Throws the call's failure. */
  list(refresh?: boolean): Promise<Policy[]>
  /** Fills names; never throws: unreadable policies (403, offline) leave names null. */
  resolve(refs: PolicyRef[][]): Promise<void>
}

/** Per-client policy cache behind `listPolicies` and the name resolution of every listing. */
export function createPolicyDirectory(
  load: () => Promise<Policy[]>,
  logger?: Logger,
  now: () => number = Date.now
): PolicyDirectory {
  let cached: { at: number; policies: Promise<Policy[]> } | null = null
  let forbiddenAt: number | null = null

  const list = (refresh = false): Promise<Policy[]> => {
    if (cached && !refresh) return cached.policies
    const entry = { at: now(), policies: load() }
    cached = entry
    entry.policies.then(
      () => {
        forbiddenAt = null
      },
      () => {
        // Failures are not cached: the next call asks the Dashboard again.
        if (cached === entry) cached = null
      }
    )
    return entry.policies
  }

  const resolve = async (refs: PolicyRef[][]): Promise<void> => {
    const ids = new Set(refs.flat().map((ref) => ref.id))
    if (ids.size === 0) return
    if (forbiddenAt !== null && now() - forbiddenAt < forbiddenBackoffMs) return
    try {
      let policies = await list()
      const known = new Set(policies.map((policy) => policy.id))
      const stale = cached !== null && now() - cached.at >= unknownIdRefreshMs
      if (stale && [...ids].some((id) => !known.has(id))) policies = await list(true)
      const names = new Map(policies.map((policy) => [policy.id, policy.name]))
      for (const ref of refs.flat()) ref.name = names.get(ref.id) ?? null
    } catch (error) {
      if (error instanceof PortalCallFailure && error.error.code === 'FORBIDDEN') {
        forbiddenAt = now()
      }
      logger?.warn('policy names unavailable', {
        code: error instanceof PortalCallFailure ? error.error.code : 'INTERNAL'
      })
    }
  }

  return { list, resolve }
}
