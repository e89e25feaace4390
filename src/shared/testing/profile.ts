import type { Profile } from '../domain'

/** A saved profile as the profile service stores it, with the defaults a new one gets. */
export function testProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 'p1',
    name: 'Production',
    kind: 'tyk-classic',
    baseUrl: 'https://dashboard.example.com',
    customCa: null,
    pinnedSha256: null,
    reconfirmCertificate: false,
    allowHttp: false,
    pollIntervalSec: 60,
    notifications: true,
    slaWarnHours: 24,
    slaBreachHours: 72,
    secretStorage: 'keychain',
    demo: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides
  }
}
