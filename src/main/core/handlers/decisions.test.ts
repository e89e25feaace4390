import { describe, expect, it } from 'vitest'
import type { DecisionLogEntry } from '../../../shared/domain'
import { testProfile } from '../../../shared/testing/profile'
import { createDecisionLog } from '../decisions/decision-log'
import { createLogger } from '../logging/logger'
import { FakeStore } from '../testing/fake-store'
import { decisionHandlers } from './decisions'
import { testDecisionEntry } from '../../../shared/testing/decision-entry'

const entry = (profileId: string): DecisionLogEntry =>
  testDecisionEntry({ opId: `op-${profileId}`, profileId })

describe('decisions:removedPortals', () => {
  it('never names a portal whose profile exists as removed', async () => {
    const decisions = createDecisionLog({ store: new FakeStore(), logger: createLogger(() => {}) })
    decisions.record([entry('p1'), entry('p2')])
    // A profile that exists under a marked log (not made by Keygate today, ids being uuids).
    decisions.markRemoved('p1', 'Production')
    decisions.markRemoved('p2', 'Staging')
    const live = testProfile({ id: 'p1' })
    const handlers = decisionHandlers({
      decisions,
      profiles: { get: () => live, list: () => [live] }
    })
    expect(await handlers['decisions:removedPortals'](undefined)).toEqual([
      { profileId: 'p2', name: 'Staging', removedAt: expect.any(String) }
    ])
  })
})
