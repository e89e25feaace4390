import { approveRequest } from './approve'
import { Rng, objectId } from './prng'
import {
  companies,
  firstNames,
  freeMailDomains,
  lastNames,
  oauthAppDescriptions,
  reasons,
  useCases
} from './seed-names'
import { catalogueEntry, portalConfig, portalDeveloper } from './shapes'
import { PortalState } from './state'
import type { EmulatorData, EmulatorSwitches, JsonObject } from './types'

const day = 86_400_000

/** Go's RFC3339Nano: fractional seconds without trailing zeros, UTC as `Z`. */
export function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z')
}

export interface SeedOptions {
  seed: number
  pending: number
  approved: number
  now: number
  switches: EmulatorSwitches
}

interface PlanSpec {
  name: string
  api: string
  authType: 'authToken' | 'basic' | 'oauth' | 'jwt'
  rate: number
  per: number
  quota: number
  description: string
}

const plans: PlanSpec[] = [
  {
    name: 'Free Tier',
    api: 'Weather Data API',
    authType: 'authToken',
    rate: 5,
    per: 1,
    quota: 1000,
    description: 'Forecasts and observations for 40,000 stations.'
  },
  {
    name: 'Business Plan',
    api: 'Payments API',
    authType: 'authToken',
    rate: 100,
    per: 1,
    quota: 500_000,
    description: 'Card and bank payments, refunds and payouts.'
  },
  {
    name: 'Starter Plan',
    api: 'Orders API',
    authType: 'basic',
    rate: 20,
    per: 1,
    quota: 20_000,
    description: 'Create and track orders (HTTP Basic authentication).'
  },
  {
    name: 'Partner Access',
    api: 'Partner Gateway',
    authType: 'oauth',
    rate: 50,
    per: 1,
    quota: -1,
    description: 'Delegated access to customer accounts for approved partners.'
  },
  {
    name: 'Enterprise Plan',
    api: 'Analytics Stream',
    authType: 'jwt',
    rate: 1000,
    per: 1,
    quota: -1,
    description: 'Event stream and aggregates, signed JWT access.'
  }
]

function asciiLocal(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase()
}

function buildPolicies(rng: Rng, orgId: string, now: number): JsonObject[] {
  const retired: PlanSpec = {
    name: 'Gold (retired)',
    api: 'Weather Data API v1',
    authType: 'authToken',
    rate: 10,
    per: 1,
    quota: 5000,
    description: 'Retired plan, kept for keys issued before 2024.'
  }
  const specs = [...plans, retired]
  return specs.map((spec, index) => {
    const created = now - (200 + rng.int(300)) * day
    const apiId = rng.hex(32)
    const access = {
      api_id: apiId,
      api_name: spec.api,
      versions: ['Default'],
      allowed_urls: [],
      restricted_types: [],
      allowed_types: [],
      limit: null,
      field_access_rights: [],
      allowance_scope: '',
      disable_introspection: false,
      endpoints: null
    }
    const active = index < plans.length
    return {
      _id: objectId(created, rng.hex(16)),
      id: '',
      name: spec.name,
      org_id: orgId,
      rate: spec.rate,
      per: spec.per,
      quota_max: spec.quota,
      quota_renewal_rate: spec.quota === -1 ? -1 : 86_400,
      throttle_interval: -1,
      throttle_retry_limit: -1,
      max_query_depth: -1,
      access_rights: { [apiId]: access },
      access_rights_array: [access],
      hmac_enabled: false,
      active,
      is_inactive: !active,
      tags: active ? [spec.authType] : ['retired'],
      key_expires_in: 0,
      partitions: {
        quota: false,
        rate_limit: false,
        complexity: false,
        acl: false,
        per_api: false
      },
      last_updated: String(Math.floor((created + 30 * day) / 1000)),
      date_created: goTime(created),
      meta_data: {},
      smoothing: null,
      state: active ? 'active' : 'deny',
      auth_type: spec.authType,
      auth_types: [spec.authType],
      graphql_enabled: false
    }
  })
}

/** One developer with a realistic, unique email (`taken` says which emails exist already). */
export function buildDeveloper(
  rng: Rng,
  orgId: string,
  now: number,
  taken: (email: string) => boolean
): JsonObject {
  const first = rng.pick(firstNames)
  const last = rng.pick(lastNames)
  const company = rng.pick(companies)
  const f = asciiLocal(first)
  const l = asciiLocal(last)
  const styles = [`${f}.${l}`, `${f}.${l}`, `${f[0]}${l}`, `${f}`, `${f}+api`, `${l}.${f}`]
  const domain = rng.chance(0.15) ? rng.pick(freeMailDomains) : company.domain
  let email = `${rng.pick(styles)}@${domain}`
  for (let n = 2; taken(email); n++) email = `${f}.${l}${n}@${domain}`
  const created = now - (31 + rng.int(400)) * day - rng.int(day)
  const lastLogin = now - rng.int(20) * day - rng.int(day)
  return portalDeveloper({
    id: objectId(created, rng.hex(16)),
    email,
    date_created: goTime(created),
    org_id: orgId,
    keys: {},
    subscriptions: {},
    fields: { name: `${first} ${last}`, company: company.name },
    oauth_clients: {},
    password_updated: goTime(created),
    PWHistory: [],
    last_login_date: goTime(lastLogin)
  })
}

function buildDevelopers(rng: Rng, orgId: string, now: number, count: number): JsonObject[] {
  const used = new Set<string>()
  const developers: JsonObject[] = []
  for (let i = 0; i < count; i++) {
    const developer = buildDeveloper(rng, orgId, now, (email) => used.has(email))
    used.add(String(developer.email))
    developers.push(developer)
  }
  return developers
}

function buildCatalogue(
  orgId: string,
  rng: Rng,
  policies: JsonObject[],
  domain: string,
  now: number
) {
  const apis = plans.map((spec, index) =>
    catalogueEntry({
      name: spec.api,
      short_description: spec.description,
      long_description: `${spec.description} Request a key below; the API team reviews every request.`,
      show: true,
      policy_id: policies[index]?._id,
      documentation: '',
      version: 'v2',
      config: portalConfig({ oauth_usage_limit: -1 }),
      fields: {},
      auth_type: spec.authType
    })
  )
  return {
    id: objectId(now - 880 * day, rng.hex(16)),
    org_id: orgId,
    apis,
    email: `api-team@${domain}`
  }
}

function requestFields(rng: Rng, developer: JsonObject, authType: string): Record<string, string> {
  const devFields = developer.fields as Record<string, string>
  const fields: Record<string, string> = {
    reason: rng.pick(reasons),
    company: devFields.company ?? '',
    use_case: rng.pick(useCases)
  }
  if (authType === 'oauth') {
    fields.oauth_app_description = rng.pick(oauthAppDescriptions)
    fields.oauth_use_case = fields.use_case ?? ''
  }
  return fields
}

/** Deterministic seed data (same seed and `now` give the same documents). */
export function seedData(options: SeedOptions): EmulatorData {
  const rng = new Rng(options.seed)
  const { now } = options
  const orgDomain = rng.pick(companies).domain
  const orgId = objectId(now - 900 * day, rng.hex(16))
  const policies = buildPolicies(rng, orgId, now)
  const total = options.pending + options.approved
  const developers = buildDevelopers(rng, orgId, now, Math.max(8, Math.min(40, total)))
  const catalogue = buildCatalogue(orgId, rng, policies, orgDomain, now)
  const configuration = portalConfig({
    id: objectId(now - 890 * day, rng.hex(16)),
    org_id: orgId,
    signup_fields: ['name', 'company'],
    key_request_fields: ['reason', 'company', 'use_case'],
    require_key_approval: true,
    enable_multi_selection: true,
    email: `api-team@${orgDomain}`
  })
  const state = new PortalState({
    orgId,
    policies,
    catalogue,
    configuration,
    developers,
    requests: [],
    keys: []
  })
  const approveAt: { id: string; at: number }[] = []
  const legacyEvery = options.pending >= 3 ? Math.max(3, Math.round(options.pending / 4)) : 0
  for (let i = 0; i < total; i++) {
    const approved = i >= options.pending
    const legacy = !approved && legacyEvery > 0 && i % legacyEvery === 1
    const created = now - rng.int(30 * day)
    const planIndex = rng.int(plans.length)
    const spec = plans[planIndex] as PlanSpec
    // Weather and Payments (both authToken) are sometimes requested together (multi-selection).
    const extra = planIndex < 2 && rng.chance(0.15) ? policies[1 - planIndex]?._id : undefined
    const doc = buildRequest(rng, {
      orgId,
      created,
      legacy,
      developer: rng.pick(developers),
      policyId: String(policies[planIndex]?._id),
      authType: spec.authType,
      extraPolicyId: typeof extra === 'string' ? extra : undefined
    })
    state.addRequest(doc)
    if (approved) approveAt.push({ id: String(doc.id), at: created + rng.int(now - created) })
  }
  for (const { id, at } of approveAt) {
    approveRequest(
      { state, switches: options.switches, hex: (n) => rng.hex(n), now: () => goTime(at) },
      id
    )
  }
  return state.toData()
}

/** One key request as the portal stores it; `legacy` gives the pre-1.9 `for_plan`-only shape. */
export function buildRequest(
  rng: Rng,
  input: {
    orgId: string
    created: number
    legacy: boolean
    developer: JsonObject
    policyId: string
    authType: string
    extraPolicyId?: string
  }
): JsonObject {
  const { developer, policyId, authType } = input
  const id = objectId(input.created, rng.hex(16))
  const fields = requestFields(rng, developer, authType)
  if (input.legacy) {
    return {
      id,
      org_id: input.orgId,
      key: '',
      for_api: '',
      for_plan: policyId,
      by_user: developer.id,
      fields,
      approved: false,
      date_created: goTime(input.created),
      version: 'v2'
    }
  }
  const doc: JsonObject = {
    id,
    org_id: input.orgId,
    key: '',
    for_api: '',
    for_plan: policyId,
    apply_policies: input.extraPolicyId ? [policyId, input.extraPolicyId] : [policyId],
    remove_policies: null,
    by_user: developer.id,
    fields,
    approved: false,
    date_created: goTime(input.created),
    version: 'v2',
    jwt_secret: authType === 'jwt' ? rng.hex(48) : '',
    certificate: ''
  }
  if (authType === 'oauth') {
    const host = String(developer.email).split('@')[1] ?? 'example.com'
    doc.oauth_info = {
      redirect_uri: `https://app.${host}/oauth/callback,https://staging.${host}/oauth/callback`
    }
  }
  return doc
}
