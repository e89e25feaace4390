import type { IssuedCredential } from '../../../../shared/domain'
import type { ApproveResponseJson } from './schemas'

/**
 * The credential an approve answer carries (docs/architecture.md#tyk-classic): OAuth entries
 * return a client,
 * basic entries `{RawKey: <username>, Password}`, everything else `{RawKey, Password: ""}`.
 * Null when it carries none (secure key approval can withhold the key from the API caller).
 */
export function toIssuedCredential(json: ApproveResponseJson): IssuedCredential | null {
  if (json.client_id) {
    return {
      kind: 'oauth',
      clientId: json.client_id,
      secret: json.secret ?? '',
      policyId: json.policy_id || null,
      redirectUri: json.redirect_uri || null
    }
  }
  if (!json.RawKey) return null
  if (json.Password) return { kind: 'basic', username: json.RawKey, password: json.Password }
  return { kind: 'key', rawKey: json.RawKey }
}
