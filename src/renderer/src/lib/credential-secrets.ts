import type { CredentialField, IssuedCredential } from '../../../shared/domain'

export interface Secret {
  field: CredentialField
  label: string
  value: string
}

/** The fields the key dialog shows, in order, labelled. */
export function secretsOf(credential: IssuedCredential): Secret[] {
  switch (credential.kind) {
    case 'key':
      return [{ field: 'rawKey', label: 'API key', value: credential.rawKey }]
    case 'basic':
      return [
        { field: 'username', label: 'Username', value: credential.username },
        { field: 'password', label: 'Password', value: credential.password }
      ]
    case 'oauth':
      return [
        { field: 'clientId', label: 'OAuth client ID', value: credential.clientId },
        { field: 'secret', label: 'OAuth client secret', value: credential.secret },
        ...(credential.redirectUri
          ? [
              {
                field: 'redirectUri',
                label: 'Redirect URI',
                value: credential.redirectUri
              } as const
            ]
          : []),
        ...(credential.policyId
          ? [{ field: 'policyId', label: 'Policy', value: credential.policyId } as const]
          : [])
      ]
  }
}

/** The field that is lost for good if the dialog closes before it was copied. */
export function mustCopy(credential: IssuedCredential): CredentialField {
  switch (credential.kind) {
    case 'key':
      return 'rawKey'
    case 'basic':
      return 'password'
    case 'oauth':
      return 'secret'
  }
}
