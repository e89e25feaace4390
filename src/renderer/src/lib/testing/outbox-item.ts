import type { OutboxItem } from '../../../../shared/domain'

/** An outbox item as `outbox:list` answers it: a decline done after one attempt, unless overridden. */
export function testOutboxItem(overrides: Partial<OutboxItem> = {}): OutboxItem {
  return {
    opId: 'op-1',
    profileId: 'prod',
    requestId: 'r1',
    kind: 'decline',
    reason: null,
    createdAt: '2026-03-12T13:00:00.000Z',
    updatedAt: '2026-03-12T13:00:00.000Z',
    attempts: 1,
    state: 'done',
    lastError: null,
    resolution: null,
    label: { developerEmail: 'a@example.com', catalogueName: 'Payments API' },
    nextAttemptAt: null,
    sendAfter: null,
    ...overrides
  }
}
