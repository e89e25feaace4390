import { murmur32Hex, murmur64Hex } from './murmur3'
import type { EmulatorSwitches } from './types'

/** Source of random hex characters: crypto at run time, the seeded PRNG while seeding. */
export type HexSource = (length: number) => string

/**
 * The gateway's `GenerateToken(orgID, keyID, hashAlgorithm)`: legacy keys are `orgID + keyID`;
 * with a hash algorithm the token is base64 of `{"org","id","h"}` (so it begins with `eyJ`).
 */
export function generateToken(
  orgId: string,
  keyId: string,
  format: EmulatorSwitches['rawKeyFormat']
): string {
  if (format === 'legacy') return orgId + keyId
  return Buffer.from(JSON.stringify({ org: orgId, id: keyId, h: 'murmur64' })).toString('base64')
}

/** The gateway's `TokenHashAlgo`: the `h` inside a base64-JSON token, else '' (murmur32). */
export function tokenHashAlgo(token: string): string {
  if (!token.startsWith('eyJ')) return ''
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
    if (decoded !== null && typeof decoded === 'object' && 'h' in decoded) {
      return typeof decoded.h === 'string' ? decoded.h : ''
    }
  } catch {
    return ''
  }
  return ''
}

/** The id the Dashboard records for a key on the developer: its hash when hash_keys is on. */
export function recordedKeyId(token: string, hashKeys: boolean): string {
  if (!hashKeys) return token
  return tokenHashAlgo(token) === 'murmur64' ? murmur64Hex(token) : murmur32Hex(token)
}

export interface IssuedCredential {
  /** The approve response body. */
  response: Record<string, unknown>
  /** The token behind the credential (null for OAuth clients, which hold no key until used). */
  token: string | null
}

interface CredentialInput {
  authType: string
  orgId: string
  developerEmail: string
  policyIds: string[]
  redirectUri: string
  switches: Pick<
    EmulatorSwitches,
    'rawKeyFormat' | 'secureKeyApproval' | 'secureKeyResponse' | 'hmacReturnsSecret'
  >
}

const alphanumeric = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

function password(hex: HexSource): string {
  let out = ''
  for (const pair of hex(32).match(/../g) ?? []) out += alphanumeric[parseInt(pair, 16) % 57]
  return out.slice(0, 16)
}

/**
 * Builds the credential an approve issues, shaped per the catalogue entry's auth type (README,
 * Approve).
 */
export function issueCredential(input: CredentialInput, hex: HexSource): IssuedCredential {
  const { authType, orgId, switches } = input
  if (authType === 'oauth') {
    const clientId = hex(32)
    return {
      token: null,
      response: {
        client_id: clientId,
        secret: Buffer.from(hex(32)).toString('base64'),
        policy_id: input.policyIds[0] ?? '',
        redirect_uri: input.redirectUri
      }
    }
  }
  if (authType === 'basic') {
    const local = input.developerEmail.split('@')[0]?.replace(/[^A-Za-z0-9._-]/g, '') || 'developer'
    const username = `${local}-${hex(6)}`
    return {
      token: generateToken(orgId, username, switches.rawKeyFormat),
      response: { RawKey: username, Password: password(hex) }
    }
  }
  const token = generateToken(orgId, hex(32), switches.rawKeyFormat)
  const hidden = switches.secureKeyApproval && switches.secureKeyResponse === 'no-key'
  const response: Record<string, unknown> = { RawKey: hidden ? '' : token, Password: '' }
  if (authType === 'hmac' && switches.hmacReturnsSecret) {
    response.hmac_string = Buffer.from(hex(32)).toString('base64')
  }
  return { token, response }
}
