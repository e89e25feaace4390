import type { KeyRequest } from '../domain'

/** A pending request as `requests:list` answers it, its developer named after `id`, unless overridden. */
export function testKeyRequest(id = 'r1', overrides: Partial<KeyRequest> = {}): KeyRequest {
  return {
    id,
    profileId: 'prod',
    approved: false,
    createdAt: '2026-03-12T14:02:00Z',
    developer: { id: `dev-${id}`, email: `${id}@example.com` },
    policies: [{ id: 'pol-gold', name: 'Gold tier' }],
    catalogue: { name: 'Payments API', authType: 'authToken', policyId: 'pol-gold' },
    catalogues: [{ name: 'Payments API', authType: 'authToken', policyId: 'pol-gold' }],
    fields: {},
    details: {
      kind: 'tyk-classic',
      legacy: false,
      version: 'v2',
      forApi: null,
      oauthRedirectUri: null
    },
    queued: null,
    ...overrides
  }
}
