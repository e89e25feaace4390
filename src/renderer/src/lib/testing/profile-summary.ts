import type { ProfileSummary } from '../../../../shared/domain'
import { testProfile } from '../../../../shared/testing/profile'

/** A saved, online portal profile `prod` (“Production”), unless overridden. */
export function testProfileSummary(overrides: Partial<ProfileSummary> = {}): ProfileSummary {
  return {
    ...testProfile({ id: 'prod', createdAt: '2026-03-12T13:00:00.000Z' }),
    capabilities: { decline: 'deletes', approve: 'returns-credential', idType: 'string' },
    hasSecret: true,
    pendingCount: 0,
    connectivity: { state: 'online', since: null, lastSuccessAt: null, lastError: null },
    ...overrides
  }
}
