import type { KeyRequest, RequestFlag } from '../../../shared/domain'

/**
 * What the portal holds besides its requests, read now and then per profile (see
 * `triage-context.ts`). Each part is null when it could not be read: no flag is then raised
 * from it, since "unknown" must not read as "missing".
 */
export interface TriageFacts {
  /** Ids of the policies on the portal. */
  policyIds: ReadonlySet<string> | null
  /** Ids of the policies the catalogue has an entry for. */
  cataloguePolicyIds: ReadonlySet<string> | null
  /** Developer id to the ids of the policies they already hold a key for. */
  access: ReadonlyMap<string, ReadonlySet<string>> | null
  policyNames: ReadonlyMap<string, string>
}

const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : 'an unknown date')

const policyIdsOf = (request: KeyRequest): string[] =>
  [...new Set(request.policies.map((policy) => policy.id).filter(Boolean))].sort()

/** Same developer, same policies (or, without policies, the same catalogue entry). */
function duplicateKey(request: KeyRequest): string | null {
  if (request.unreadable !== undefined || !request.developer.id) return null
  const policies = policyIdsOf(request)
  const what = policies.length > 0 ? policies.join(',') : (request.catalogue?.name ?? '')
  if (!what) return null
  return JSON.stringify([request.profileId, request.developer.id, what])
}

function nameOf(policyId: string, request: KeyRequest, facts: TriageFacts): string {
  return (
    request.policies.find((policy) => policy.id === policyId)?.name ??
    facts.policyNames.get(policyId) ??
    policyId
  )
}

function flagsFor(
  request: KeyRequest,
  others: readonly KeyRequest[],
  facts: TriageFacts | null
): RequestFlag[] {
  const flags: RequestFlag[] = []
  if (others.length > 0) {
    const oldest = others.reduce<string | null>(
      (min, other) => (other.createdAt && (!min || other.createdAt < min) ? other.createdAt : min),
      null
    )
    const count =
      others.length === 1 ? '1 other pending request' : `${others.length} other pending requests`
    flags.push({
      kind: 'duplicate',
      text: `Duplicate: ${count} from this developer for the same policies (earliest ${day(oldest)})`
    })
  }
  const policies = policyIdsOf(request)
  const held = facts?.access?.get(request.developer.id)
  const already = held ? policies.filter((id) => held.has(id)) : []
  if (facts && already.length > 0) {
    flags.push({
      kind: 'has-access',
      text: `Developer already holds ${already.map((id) => nameOf(id, request, facts)).join(', ')}`
    })
  }
  const missing = facts?.policyIds ? policies.filter((id) => !facts.policyIds!.has(id)) : []
  if (missing.length > 0) {
    flags.push({
      kind: 'missing-policy',
      text: `Policy ${missing.join(', ')} no longer exists on the portal: this request cannot be approved`
    })
  }
  const catalogued = facts?.cataloguePolicyIds
  if (catalogued && policies.length > 0 && !policies.some((id) => catalogued.has(id))) {
    flags.push({
      kind: 'missing-catalogue',
      text: 'No catalogue entry for its policies on the portal any more: it cannot be approved as asked'
    })
  }
  if (request.details.legacy) {
    flags.push({ kind: 'legacy', text: 'Legacy for_plan request, made before Dashboard 1.9' })
  }
  return flags
}

/**
 * Pending requests with their `flags` filled (docs/architecture.md#flags): duplicates are
 * found among `pending` itself, per profile; the rest comes from each profile's facts.
 * Unreadable rows get none. Pure: the same lists and facts give the same flags.
 */
export function withFlags<T extends KeyRequest>(
  pending: readonly T[],
  factsFor: (profileId: string) => TriageFacts | null
): T[] {
  const groups = new Map<string, T[]>()
  for (const request of pending) {
    const key = duplicateKey(request)
    if (key === null) continue
    const group = groups.get(key) ?? []
    group.push(request)
    groups.set(key, group)
  }
  return pending.map((request) => {
    if (request.unreadable !== undefined) return { ...request, flags: [] }
    const key = duplicateKey(request)
    const others = key === null ? [] : (groups.get(key) ?? []).filter((r) => r.id !== request.id)
    return { ...request, flags: flagsFor(request, others, factsFor(request.profileId)) }
  })
}
