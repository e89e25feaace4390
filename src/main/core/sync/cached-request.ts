import { z } from 'zod'
import type { CatalogueRef, KeyRequest } from '../../../shared/domain'
import {
  copyRequestDetails,
  requestDetailsSchema,
  sameRequestDetails
} from '../portal/request-details'

const nullableString = z.string().nullable()
const catalogueRefSchema = z.object({
  name: z.string(),
  authType: nullableString,
  policyId: nullableString
})

/**
 * A cache written before requests had a kind-specific part kept Classic's fields at the top:
 * they move into `details`, so an upgrade still shows the last list while the portal is away.
 */
function withDetails(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || 'details' in item) return item
  const { legacy, version, forApi, oauthRedirectUri, ...rest } = item as Record<string, unknown>
  return { ...rest, details: { kind: 'tyk-classic', legacy, version, forApi, oauthRedirectUri } }
}

export const cachedRequestSchema = z.preprocess(
  withDetails,
  z.object({
    id: z.string(),
    profileId: z.string(),
    approved: z.boolean(),
    createdAt: nullableString,
    developer: z.object({ id: z.string(), email: nullableString }),
    policies: z.array(z.object({ id: z.string(), name: nullableString })),
    catalogue: catalogueRefSchema.nullable(),
    catalogues: z.array(catalogueRefSchema),
    fields: z.record(z.string(), z.string()),
    unreadable: z.string().optional(),
    details: requestDetailsSchema,
    queued: z.null()
  })
)

/** Copies exactly the KeyRequest fields, dropping `raw` and anything else a client added. */
export function normalise(item: KeyRequest, profileId: string): KeyRequest {
  return {
    id: item.id,
    profileId,
    approved: item.approved,
    createdAt: item.createdAt,
    developer: { id: item.developer.id, email: item.developer.email },
    policies: item.policies.map((policy) => ({ id: policy.id, name: policy.name })),
    catalogue: item.catalogue && copyCatalogue(item.catalogue),
    catalogues: item.catalogues.map(copyCatalogue),
    fields: { ...item.fields },
    details: copyRequestDetails(item.details),
    queued: null,
    ...(item.unreadable === undefined ? {} : { unreadable: item.unreadable })
  }
}

function copyCatalogue(entry: CatalogueRef): CatalogueRef {
  return { name: entry.name, authType: entry.authType, policyId: entry.policyId }
}

function sameCatalogue(a: CatalogueRef | null, b: CatalogueRef | null): boolean {
  if (a === null || b === null) return a === b
  return a.name === b.name && a.authType === b.authType && a.policyId === b.policyId
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  let count = 0
  for (const key in a) {
    if (a[key] !== b[key]) return false
    count += 1
  }
  for (const _key in b) count -= 1
  return count === 0
}

/** Field-by-field equality of everything a cached request shows; no serialisation, no allocation. */
export function sameRequest(a: KeyRequest, b: KeyRequest): boolean {
  if (
    a.id !== b.id ||
    a.approved !== b.approved ||
    a.createdAt !== b.createdAt ||
    a.developer.id !== b.developer.id ||
    a.developer.email !== b.developer.email ||
    !sameRequestDetails(a.details, b.details) ||
    a.policies.length !== b.policies.length ||
    a.catalogues.length !== b.catalogues.length ||
    !sameCatalogue(a.catalogue, b.catalogue) ||
    !sameFields(a.fields, b.fields)
  ) {
    return false
  }
  for (let i = 0; i < a.policies.length; i += 1) {
    if (a.policies[i]!.id !== b.policies[i]!.id || a.policies[i]!.name !== b.policies[i]!.name) {
      return false
    }
  }
  for (let i = 0; i < a.catalogues.length; i += 1) {
    if (!sameCatalogue(a.catalogues[i]!, b.catalogues[i]!)) return false
  }
  return true
}
