import type {
  CatalogueRef,
  Developer,
  DeveloperAccess,
  Policy,
  RequestDetail,
  RequestStatus
} from '../../../../shared/domain'
import type { CatalogueEntryJson, DeveloperJson, KeyRequestJson, PolicyJson } from './schemas'

const orNull = (value: string | null | undefined): string | null => value || null

/** RFC 3339 to UTC ISO; null for missing, unparseable or Go zero-time (`0001-01-01...`) dates. */
export function normaliseDate(value: string | null | undefined): string | null {
  if (!value) return null
  const ms = Date.parse(value)
  if (Number.isNaN(ms) || ms <= 0) return null
  return new Date(ms).toISOString()
}

/**
 * Portal field maps are map[string]string; anything else is shown as text, never dropped: a
 * null as an empty value, a key named `__proto__` as a plain key.
 */
export function normaliseFields(
  fields: Record<string, unknown> | null | undefined
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue
    const text = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)
    Object.defineProperty(out, name, {
      value: text,
      enumerable: true,
      writable: true,
      configurable: true
    })
  }
  return out
}

export function toCatalogueRef(entry: CatalogueEntryJson | null | undefined): CatalogueRef | null {
  // A Go zero struct (every field empty) means the request carries no catalogue entry.
  if (!entry || (!entry.name && !entry.policy_id)) return null
  return {
    name: entry.name || entry.policy_id || '',
    authType: orNull(entry.auth_type),
    policyId: orNull(entry.policy_id)
  }
}

/**
 * One Dashboard KeyRequest as Keygate shows it. Policy names stay null here: the client fills
 * them from its policy cache. `raw` is the Dashboard's JSON with every field it sent.
 */
export function toRequestDetail(json: KeyRequestJson, profileId: string): RequestDetail {
  const applied = (json.apply_policies ?? []).filter(Boolean)
  const legacy = applied.length === 0 && Boolean(json.for_plan)
  const policyIds = legacy && json.for_plan ? [json.for_plan] : applied
  const developer = json.portal_developer
  return {
    id: json.id || json._id || '',
    profileId,
    approved: json.approved ?? false,
    createdAt: normaliseDate(json.date_created),
    developer: {
      id: json.by_user || developer?.id || developer?._id || '',
      email: orNull(developer?.email)
    },
    policies: policyIds.map((id) => ({ id, name: null })),
    catalogue: toCatalogueRef(json.catalogue_entry),
    catalogues: (json.catalogues ?? [])
      .map(toCatalogueRef)
      .filter((ref): ref is CatalogueRef => ref !== null),
    fields: normaliseFields(json.fields),
    details: {
      kind: 'tyk-classic',
      legacy,
      version: orNull(json.version),
      forApi: orNull(json.for_api),
      oauthRedirectUri: orNull(json.oauth_info?.redirect_uri)
    },
    queued: null,
    raw: json
  }
}

/**
 * A list entry Keygate could not read, as a request row that says so: its id when it has one,
 * else `fallbackId`; listed under the status it was read for; nothing else guessed.
 */
export function toUnreadableRequest(
  entry: { raw: unknown; problem: string },
  fallbackId: string,
  profileId: string,
  status: RequestStatus
): RequestDetail {
  const raw: Record<string, unknown> =
    typeof entry.raw === 'object' && entry.raw !== null && !Array.isArray(entry.raw)
      ? (entry.raw as Record<string, unknown>)
      : { value: entry.raw }
  const id = [raw.id, raw._id].find((value) => typeof value === 'string' && value !== '')
  return {
    id: typeof id === 'string' ? id : fallbackId,
    profileId,
    approved: status === 'approved',
    createdAt: null,
    developer: { id: '', email: null },
    policies: [],
    catalogue: null,
    catalogues: [],
    fields: {},
    details: {
      kind: 'tyk-classic',
      legacy: false,
      version: null,
      forApi: null,
      oauthRedirectUri: null
    },
    queued: null,
    unreadable: entry.problem,
    raw
  }
}

export function toDeveloper(json: DeveloperJson): Developer {
  return {
    id: json.id || json._id || '',
    email: orNull(json.email),
    createdAt: normaliseDate(json.date_created),
    inactive: json.inactive ?? false,
    fields: normaliseFields(json.fields)
  }
}

/**
 * The policies a developer holds a key for: the `subscriptions` map's keys and the `keys` map's
 * policy lists. The key ids (the maps' other side) are dropped here, so no list carries them.
 */
export function toDeveloperAccess(json: DeveloperJson): DeveloperAccess {
  const policyIds = new Set<string>()
  for (const [policyId, keyId] of Object.entries(json.subscriptions ?? {})) {
    if (policyId && typeof keyId === 'string' && keyId) policyIds.add(policyId)
  }
  for (const policies of Object.values(json.keys ?? {})) {
    if (!Array.isArray(policies)) continue
    for (const policyId of policies)
      if (typeof policyId === 'string' && policyId) policyIds.add(policyId)
  }
  return { developerId: json.id || json._id || '', policyIds: [...policyIds] }
}

/** Policies are addressed by `_id`; `id` is often "" (docs/architecture.md#tyk-classic). */
export function toPolicy(json: PolicyJson): Policy {
  const id = json._id || json.id || ''
  return {
    id,
    name: json.name || id,
    active: json.active ?? !json.is_inactive,
    authType: json.auth_type || json.auth_types?.[0] || null
  }
}
