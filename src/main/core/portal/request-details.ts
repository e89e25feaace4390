import { z } from 'zod'
import type { KeyRequestDetails } from '../../../shared/domain'

const nullableString = z.string().nullable()

/** A request's kind-specific part as the list cache keeps it, one shape per portal kind. */
export const requestDetailsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tyk-classic'),
    legacy: z.boolean(),
    version: nullableString,
    forApi: nullableString,
    oauthRedirectUri: nullableString
  })
])

/** Exactly the fields of the request's kind, so nothing a client added rides along. */
export function copyRequestDetails(details: KeyRequestDetails): KeyRequestDetails {
  switch (details.kind) {
    case 'tyk-classic':
      return {
        kind: details.kind,
        legacy: details.legacy,
        version: details.version,
        forApi: details.forApi,
        oauthRedirectUri: details.oauthRedirectUri
      }
  }
}

/** Field-by-field equality of two requests' kind-specific parts. */
export function sameRequestDetails(a: KeyRequestDetails, b: KeyRequestDetails): boolean {
  return (
    a.kind === b.kind &&
    a.legacy === b.legacy &&
    a.version === b.version &&
    a.forApi === b.forApi &&
    a.oauthRedirectUri === b.oauthRedirectUri
  )
}
