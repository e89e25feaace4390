import type { DecisionLogEntry } from '../domain'

/** A decision log entry (a decline alice decided, done) for core and renderer tests. */
export function testDecisionEntry(overrides: Partial<DecisionLogEntry> = {}): DecisionLogEntry {
  const opId = overrides.opId ?? 'op-1'
  return {
    opId,
    profileId: 'p1',
    requestId: `r-${opId}`,
    kind: 'decline',
    reason: null,
    by: 'alice',
    decidedAt: '2026-03-12T13:00:00.000Z',
    outcome: 'done',
    developerEmail: null,
    ...overrides
  }
}
