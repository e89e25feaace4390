import type { IssuedCredential } from '../../../shared/domain'

/** The values of a credential that must never be shown again once the key dialog is closed. */
export function credentialSecrets(credential: IssuedCredential): string[] {
  switch (credential.kind) {
    case 'key':
      return [credential.rawKey]
    case 'basic':
      return [credential.password]
    case 'oauth':
      return [credential.secret, credential.clientId]
  }
}
