import type { CredentialField, IssuedCredential } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'

/** One field of an issued credential; NOT_FOUND when this kind of credential has none. */
export function credentialField(credential: IssuedCredential, field: CredentialField): string {
  const value: unknown = (credential as Partial<Record<CredentialField, unknown>>)[field]
  if (typeof value !== 'string') {
    throw new AppFailure('NOT_FOUND', 'This credential has no such field to copy.')
  }
  return value
}
