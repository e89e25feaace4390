import type { ProfileSummary } from '../../../../shared/domain'

/** A saved, online portal profile `prod` (“Production”), unless overridden. */
export function testProfileSummary(overrides: Partial<ProfileSummary> = {}): ProfileSummary {
  return {
    id: 'prod',
    name: 'Production',
    kind: 'tyk-classic',
    dashboardUrl: 'https://dashboard.example.com',
    customCa: null,
    pinnedSha256: null,
    reconfirmCertificate: false,
    allowHttp: false,
    pollIntervalSec: 60,
    notifications: true,
    secretStorage: 'keychain',
    demo: false,
    createdAt: '2026-03-12T13:00:00.000Z',
    hasSecret: true,
    pendingCount: 0,
    connectivity: { state: 'online', since: null, lastSuccessAt: null, lastError: null },
    ...overrides
  }
}
