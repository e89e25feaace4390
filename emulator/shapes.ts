import { z } from 'zod'
import type { JsonObject } from './types'

/**
 * Documents shaped like the Dashboard's Go structs: every field emitted (no omitempty), nil
 * slices and maps as null, zero times as Go prints them (README, The Dashboard API it serves).
 */

export const goZeroTime = '0001-01-01T00:00:00Z'

/** Keys of a key request the Dashboard computes on every read rather than storing. */
export const embedKeys = ['portal_developer', 'catalogue_entry', 'catalogues'] as const

const emailMeta = (): JsonObject => ({
  enabled: false,
  subject: '',
  body: '',
  sign_off: '',
  hide_token_data: false
})

/** A PortalConfig; `overrides` sets fields (the rest keep Go zero values). */
export function portalConfig(overrides: JsonObject = {}): JsonObject {
  return {
    id: '',
    org_id: '',
    signup_fields: null,
    key_request_fields: null,
    require_key_approval: false,
    secure_key_approval: false,
    redirect_on_key_request: false,
    redirect_to: '',
    enable_multi_selection: false,
    disable_login: false,
    disable_signup: false,
    disable_auto_login: false,
    catalogue_login_only: false,
    oauth_usage_limit: 0,
    email: '',
    mail_options: {
      mail_from_name: '',
      mail_from_email: '',
      email_copy: {
        welcome_email: emailMeta(),
        key_email: emailMeta(),
        reset_password_email: emailMeta()
      }
    },
    enable_dcr: false,
    dcr_options: {
      idp_host: '',
      registration_endpoint: '',
      access_token: '',
      provider: '',
      grant_types: null,
      response_types: null,
      token_endpoint_auth_method: ''
    },
    override: false,
    HashKeys: false,
    ...overrides
  }
}

/** A catalogue entry (APIDescription). */
export function catalogueEntry(overrides: JsonObject = {}): JsonObject {
  return {
    name: '',
    short_description: '',
    long_description: '',
    show: false,
    api_id: '',
    policy_id: '',
    documentation: '',
    version: '',
    is_keyless: false,
    config: portalConfig(),
    fields: null,
    auth_type: '',
    ...overrides
  }
}

/** A PortalDeveloper. */
export function portalDeveloper(overrides: JsonObject = {}): JsonObject {
  return {
    id: '',
    email: '',
    date_created: goZeroTime,
    inactive: false,
    org_id: '',
    keys: null,
    subscriptions: null,
    fields: null,
    nonce: '',
    sso_key: '',
    oauth_clients: null,
    password_max_days: 0,
    password_updated: goZeroTime,
    PWHistory: null,
    last_login_date: goZeroTime,
    ...overrides
  }
}

export const zeroDeveloperJson = JSON.stringify(portalDeveloper())
export const zeroCatalogueEntryJson = JSON.stringify(catalogueEntry())

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

const goString = z.string().nullish()
const goStrings = z.array(z.string()).nullish()

/** What Go's json.Unmarshal into the KeyRequest struct accepts: wrong types fail the whole body. */
const keyRequestBody = z.object({
  id: goString,
  org_id: goString,
  key: goString,
  for_api: goString,
  for_plan: goString,
  apply_policies: goStrings,
  remove_policies: goStrings,
  by_user: goString,
  fields: z.record(z.string(), z.string()).nullish(),
  approved: z.boolean().nullish(),
  date_created: z.string().regex(rfc3339).nullish(),
  version: goString,
  jwt_secret: goString,
  certificate: goString,
  oauth_info: z.object({ redirect_uri: goString }).nullish()
})

/**
 * Reads a POST/PUT body the way the Dashboard would: unknown fields dropped, missing ones zeroed,
 * embeds recomputed later. Returns null when Go would fail to unmarshal it (-> 403 malformed).
 */
export function normalizeKeyRequest(
  raw: unknown,
  fill: { id: string; orgId: string; now: string }
): JsonObject | null {
  if (raw === null) raw = {}
  if (typeof raw !== 'object' || Array.isArray(raw)) return null
  const parsed = keyRequestBody.safeParse(raw)
  if (!parsed.success) return null
  const body = parsed.data
  const doc: JsonObject = {
    id: fill.id,
    org_id: fill.orgId,
    key: body.key ?? '',
    for_api: body.for_api ?? '',
    for_plan: body.for_plan ?? '',
    apply_policies: body.apply_policies ?? null,
    remove_policies: body.remove_policies ?? null,
    by_user: body.by_user ?? '',
    fields: body.fields ?? null,
    approved: body.approved ?? false,
    date_created: body.date_created ?? fill.now,
    version: body.version ?? '',
    jwt_secret: body.jwt_secret ?? '',
    certificate: body.certificate ?? ''
  }
  if (body.oauth_info) doc.oauth_info = { redirect_uri: body.oauth_info.redirect_uri ?? '' }
  return doc
}

/** Policy ids a request asks for: `apply_policies`, or the pre-1.9 `for_plan` alone. */
export function requestedPolicies(doc: JsonObject): string[] {
  const apply = doc.apply_policies
  if (Array.isArray(apply) && apply.length > 0) {
    return apply.filter((id): id is string => typeof id === 'string' && id !== '')
  }
  return typeof doc.for_plan === 'string' && doc.for_plan !== '' ? [doc.for_plan] : []
}

export function stringField(doc: JsonObject, key: string): string {
  const value = doc[key]
  return typeof value === 'string' ? value : ''
}

/** Epoch ms of an RFC 3339 date, 0 when absent or unreadable (sorts as oldest). */
export function dateMs(value: unknown): number {
  if (typeof value !== 'string') return 0
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? 0 : ms
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
