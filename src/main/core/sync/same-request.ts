import type { CatalogueRef, KeyRequest } from '../../../shared/domain'
import { sameRequestDetails } from '../portal/request-details'

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
