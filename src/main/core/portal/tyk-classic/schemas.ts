/**
 * zod schemas for the Dashboard's Classic Portal answers (docs/architecture.md#tyk-classic). They
 * are
 * tolerant on purpose: every field may be missing or null (old Dashboards, Go zero values),
 * `_id` stands in for `id`, and unknown fields are kept (`looseObject`) so `raw` shows them.
 * Wrong types still fail: a string where a list belongs is not a Dashboard we understand.
 */
import { z } from 'zod'

const text = z.string().nullish()
const flag = z.boolean().nullish()
const idList = z.array(z.string()).nullish()
/**
 * `fields` is map[string]string on the Dashboard; other scalars are kept and stringified. Checked
 * as a plain object and passed on as parsed, so a key named `__proto__` survives as data.
 */
const fieldMap = z
  .custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { message: 'expected an object of custom fields' }
  )
  .nullish()

const withId = <T extends { id?: string | null; _id?: string | null }>(value: T) =>
  Boolean(value.id || value._id)
const idMessage = { message: 'has neither `id` nor `_id`' }

export const catalogueEntrySchema = z.looseObject({
  name: text,
  auth_type: text,
  policy_id: text,
  show: flag,
  version: text
})
export type CatalogueEntryJson = z.infer<typeof catalogueEntrySchema>

/**
 * `subscriptions` (policy id -> key id or hash, deprecated) and `keys` (key id or hash -> policy
 * ids): read only for which policies a developer holds; their key ids go no further than
 * `toDeveloperAccess`.
 */
const looseMap = z
  .custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { message: 'expected an object' }
  )
  .nullish()

export const developerSchema = z
  .looseObject({
    id: text,
    _id: text,
    email: text,
    date_created: text,
    inactive: flag,
    fields: fieldMap,
    subscriptions: looseMap,
    keys: looseMap
  })
  .refine(withId, idMessage)
export type DeveloperJson = z.infer<typeof developerSchema>

/** An embedded developer may be a Go zero struct (no id) when the developer was deleted. */
const embeddedDeveloperSchema = z.looseObject({
  id: text,
  _id: text,
  email: text
})

/** `GET /api/portal/catalogue` answers one object, not a list (docs/architecture.md#tyk-classic). */
export const catalogueSchema = z.looseObject({
  id: text,
  org_id: text,
  apis: z.array(catalogueEntrySchema).nullish(),
  email: text
})

export const keyRequestSchema = z
  .looseObject({
    id: text,
    _id: text,
    org_id: text,
    key: text,
    for_api: text,
    for_plan: text,
    apply_policies: idList,
    remove_policies: idList,
    by_user: text,
    fields: fieldMap,
    approved: flag,
    date_created: text,
    version: text,
    jwt_secret: text,
    certificate: text,
    oauth_info: z.looseObject({ redirect_uri: text }).nullish(),
    portal_developer: embeddedDeveloperSchema.nullish(),
    catalogue_entry: catalogueEntrySchema.nullish(),
    catalogues: z.array(catalogueEntrySchema).nullish()
  })
  .refine(withId, idMessage)
export type KeyRequestJson = z.infer<typeof keyRequestSchema>

export const policySchema = z
  .looseObject({
    id: text,
    _id: text,
    name: text,
    active: flag,
    is_inactive: flag,
    auth_type: text,
    auth_types: z.array(z.string()).nullish()
  })
  .refine(withId, idMessage)
export type PolicyJson = z.infer<typeof policySchema>

/**
 * `{"Data": [...], "Pages": N}`: `Data` null for an empty page, `Pages` 0 on old Dashboards.
 * `Data` must be there: a 200 without it (`{}`, a status envelope) is not an empty list.
 */
export const listEnvelopeSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    Data: z.array(item).nullable(),
    Pages: z.number().nullish()
  })

/** Create/delete/error envelope; `Meta` is "" on old Dashboards and null on new ones. */
export const statusEnvelopeSchema = z.looseObject({
  Status: text,
  Message: text,
  Meta: z.unknown().optional(),
  ID: text,
  Errors: z.array(z.string()).nullish()
})
export type StatusEnvelope = z.infer<typeof statusEnvelopeSchema>

/** Approve answers: authToken/basic `{RawKey, Password}`, OAuth `{client_id, secret, ...}`. */
export const approveResponseSchema = z.looseObject({
  RawKey: text,
  Password: text,
  client_id: text,
  secret: text,
  policy_id: text,
  redirect_uri: text
})
export type ApproveResponseJson = z.infer<typeof approveResponseSchema>
