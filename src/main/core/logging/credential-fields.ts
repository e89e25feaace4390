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
  'clientsecret',
  'ssokey',
  'nonce',
  'pwhistory',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'hmacstring',
  'jwtsecret',
  'privatekey',
  'secret',
  'password'
])

/** Any name that says secret, password or token is one too (`hmac_secret`, `new_password`). */
const containsWord = /secret|passw(or)?d|token|apikey|privatekey/

/** Compact form used for matching: lower case, no separators. */
const compact = (name: string): string => name.toLowerCase().replace(/[-_\s]/g, '')

export function isCredentialField(name: string): boolean {
  const key = compact(name)
  return exactNames.has(key) || containsWord.test(key)
}

/** The names above as they appear in text (`"RawKey":`, `client_secret=`), for scrubbing strings. */
export const credentialNamePattern =
  '[A-Za-z_-]*(?:secret|passw(?:or)?d|token|api[_-]?key|private[_-]?key|authorization|cookie|raw[_-]?key|sso[_-]?key|pwhistory|nonce|hmac[_-]?string|oauth[_-]?clients|subscriptions|keys?)'
