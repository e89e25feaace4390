import { createHash } from 'node:crypto'
import type { Profile } from '../../../shared/domain'

/** What a stored API key was entered for: the Dashboard's origin and how its TLS is trusted. */
export interface SecretBinding {
  /** scheme://host[:port], as `URL.origin` spells it (default ports omitted). */
  origin: string
  /** SHA-256 of the profile's custom CA, or null. */
  ca: string | null
  /** The pinned certificate's fingerprint, or null. */
  pin: string | null
}

type BoundProfile = Pick<Profile, 'baseUrl' | 'customCa' | 'pinnedSha256'>

const originOf = (url: string): string => {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

export function bindingOf(profile: BoundProfile): SecretBinding {
  const ca = profile.customCa?.trim()
  return {
    origin: originOf(profile.baseUrl),
    ca: ca ? createHash('sha256').update(ca).digest('hex') : null,
    pin: profile.pinnedSha256
  }
}

/**
 * Why a key entered for `from` may not be used with `to`, or null when it may. A different origin
 * (scheme, host or port) or trust anchor could hand the key to someone else.
 */
export function rebindReason(from: SecretBinding, to: SecretBinding): string | null {
  if (from.origin !== to.origin) return 'Changing the Dashboard URL needs its API key again'
  if (from.ca !== to.ca) return 'Changing the custom CA needs the API key again'
  if (from.pin !== to.pin) return 'Trusting a different certificate needs the API key again'
  return null
}

interface Sealed {
  v: 1
  binding: SecretBinding
  secret: string
}

/** The keychain value: the secret together with what it was entered for. */
export const seal = (secret: string, binding: SecretBinding): string =>
  JSON.stringify({ v: 1, binding, secret } satisfies Sealed)

/** A stored value; `binding` is null for a plain secret saved before keys were bound. */
export function unseal(value: string): { secret: string; binding: SecretBinding | null } {
  try {
    const parsed = JSON.parse(value) as Partial<Sealed> | null
    if (
      parsed?.v === 1 &&
      typeof parsed.secret === 'string' &&
      typeof parsed.binding?.origin === 'string' &&
      (typeof parsed.binding.ca === 'string' || parsed.binding.ca === null) &&
      (typeof parsed.binding.pin === 'string' || parsed.binding.pin === null)
    ) {
      const { origin, ca, pin } = parsed.binding
      return { secret: parsed.secret, binding: { origin, ca, pin } }
    }
  } catch {
    // Not JSON: a plain secret from before keys were bound.
  }
  return { secret: value, binding: null }
}
