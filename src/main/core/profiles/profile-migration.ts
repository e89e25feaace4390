import { defaultPortalKind } from '../../../shared/domain'

type SavedProfile = Record<string, unknown>

/**
 * A profile saved with "allow self-signed" accepted any certificate. That switch is gone: such a
 * profile verifies again, and is flagged until the admin confirms its certificate's fingerprint.
 */
function retireSelfSigned(item: SavedProfile): SavedProfile {
  if (!('allowSelfSigned' in item)) return item
  const { allowSelfSigned, ...rest } = item
  const pinned = typeof rest.pinnedSha256 === 'string'
  return allowSelfSigned === true && !pinned ? { ...rest, reconfirmCertificate: true } : rest
}

/** Saved before portal kinds: every such profile is a Tyk Classic Dashboard. */
const withKind = (item: SavedProfile): SavedProfile =>
  'kind' in item ? item : { ...item, kind: defaultPortalKind }

/** Saved when the portal's address was `dashboardUrl`, before kinds other than the Dashboard. */
function withBaseUrl(item: SavedProfile): SavedProfile {
  if (!('dashboardUrl' in item)) return item
  const { dashboardUrl, ...rest } = item
  return 'baseUrl' in rest ? rest : { ...rest, baseUrl: dashboardUrl }
}

/**
 * A profile as an older Keygate saved it, in today's shape; anything else passes through for the
 * schema to judge. The store keeps the old shape until the profiles are next written.
 */
export function migrateSavedProfile(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item
  return withBaseUrl(withKind(retireSelfSigned(item as SavedProfile)))
}
