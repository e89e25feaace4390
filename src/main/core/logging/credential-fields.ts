/**
 * Field names whose values are credentials wherever they appear: Dashboard documents (a
 * developer's `keys`, `oauth_clients`, `sso_key`, `PWHistory`, a request's `key` and
 * `jwt_secret`), approve answers (`RawKey`, `Password`, `secret`), headers and query strings.
 * Compared without case, `-` or `_`, so `client-secret`, `clientSecret` and `CLIENT_SECRET` match.
 */
const exactNames = new Set([
  'key',
  'keys',
  'rawkey',
  'subscriptions',
  'oauthclients',
  'ssokey',
  'nonce',
  'pwhistory',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'hmacstring'
])

/** Any name ending in secret, password or token is one too (`hmac_secret`, `new_password`). */
const endsInWord = /(secret|passw(or)?d|token|apikey|privatekey)s?$/

/** Compact form used for matching: lower case, no separators. */
const compact = (name: string): string => name.toLowerCase().replace(/[-_\s]/g, '')

/** Field names repeat across thousands of requests: each is judged once (a bounded memo). */
const verdicts = new Map<string, boolean>()
const MAX_REMEMBERED = 2_000

export function isCredentialField(name: string): boolean {
  const known = verdicts.get(name)
  if (known !== undefined) return known
  const key = compact(name)
  const verdict = exactNames.has(key) || endsInWord.test(key)
  if (verdicts.size < MAX_REMEMBERED) verdicts.set(name, verdict)
  return verdict
}

/**
 * Strings and structures can carry a credential; flags, counts and Go zero values (empty
 * strings, null, empty lists) cannot, and stay as they are so what is shown remains truthful.
 */
export function mayHoldCredential(value: unknown): boolean {
  if (typeof value === 'string') return value !== ''
  if (value === null || typeof value !== 'object') return false
  return Object.keys(value).length > 0
}

/**
 * The same names as they appear in text (`"RawKey":`, `client_secret=`, `x-api-key:`), for a
 * case-insensitive regular expression.
 */
export const credentialNamePattern =
  '(?:[A-Za-z0-9]+[_-])*(?:(?:raw|api|sso|private|access|refresh|id)[_-]?keys?|keys?|[A-Za-z0-9]*(?:secret|passw(?:or)?d|token)|pwhistory|hmac[_-]?string|oauth[_-]?clients|subscriptions|authorization|cookie|nonce)'
