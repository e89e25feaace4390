import type { CatalogueRef, KeyRequest, RequestDetail, RequestFlag } from '../../shared/domain'
import { isCredentialField, mayHoldCredential } from './logging/credential-fields'
import { copyRequestDetails } from './portal/request-details'

/** What the renderer sees instead of a credential in a Dashboard document. */
export const HIDDEN = '[hidden by Keygate]'

const copyFlag = (flag: RequestFlag): RequestFlag => ({ kind: flag.kind, text: flag.text })

const copyCatalogue = (entry: CatalogueRef): CatalogueRef => ({
  name: entry.name,
  authType: entry.authType,
  policyId: entry.policyId
})

/** Custom fields as the developer filled them in, except values under credential-like names. */
function visibleFields(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(fields)) {
    out[name] = isCredentialField(name) && value !== '' ? HIDDEN : value
  }
  return out
}

const MAX_DEPTH = 32

/** The Dashboard's JSON with every credential-bearing field's value replaced by `HIDDEN`. */
export function maskCredentials(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return HIDDEN
  if (Array.isArray(value)) return value.map((item) => maskCredentials(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(value)) {
    out[name] =
      isCredentialField(name) && mayHoldCredential(item) ? HIDDEN : maskCredentials(item, depth + 1)
  }
  return out
}

/**
 * Exactly the fields of a `KeyRequest`, each copied, so nothing a portal client or the Dashboard
 * added (a detail's `raw`, say) rides along. `parts` holds the fields the caller decides: the
 * list cache and the IPC view differ only there.
 */
export function copyRequest(
  item: KeyRequest,
  parts: Pick<KeyRequest, 'profileId' | 'fields' | 'queued'>
): KeyRequest {
  return {
    id: item.id,
    profileId: parts.profileId,
    approved: item.approved,
    createdAt: item.createdAt,
    developer: { id: item.developer.id, email: item.developer.email },
    policies: item.policies.map((policy) => ({ id: policy.id, name: policy.name })),
    catalogue: item.catalogue && copyCatalogue(item.catalogue),
    catalogues: item.catalogues.map(copyCatalogue),
    fields: parts.fields,
    details: copyRequestDetails(item.details),
    queued: parts.queued,
    ...(item.unreadable === undefined ? {} : { unreadable: item.unreadable }),
    ...(item.flags === undefined ? {} : { flags: item.flags.map(copyFlag) })
  }
}

/**
 * A key request as it may cross IPC: an allowlist of what the UI shows, built field by field so
 * nothing a portal client or the Dashboard added rides along; credential-like custom fields hidden.
 */
export function requestView(item: KeyRequest): KeyRequest {
  return copyRequest(item, {
    profileId: item.profileId,
    fields: visibleFields(item.fields),
    queued: item.queued && {
      opId: item.queued.opId,
      kind: item.queued.kind,
      state: item.queued.state
    }
  })
}

/** `requestView` plus the "Raw JSON" disclosure, credentials replaced by a visible placeholder. */
export function requestDetailView(detail: RequestDetail): RequestDetail {
  return {
    ...requestView(detail),
    raw: maskCredentials(detail.raw) as Record<string, unknown>,
    // Policy names and dates only: the developer's key ids never leave the portal client.
    ...(detail.subscriptions === undefined
      ? {}
      : {
          subscriptions: detail.subscriptions.map((item) => ({
            policyId: item.policyId,
            policyName: item.policyName,
            since: item.since
          }))
        })
  }
}
