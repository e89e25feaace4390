import { describe, expect, it } from 'vitest'
import { outboxStates } from './domain'
import {
  activeOutboxStates,
  finishedOutboxStates,
  leftPendingOutboxStates,
  problemOutboxStates
} from './outbox-states'

describe('outbox state groups', () => {
  it('sorts every state as active, finished, or failed (waiting for the user), exactly once', () => {
    const placed = [...activeOutboxStates, ...finishedOutboxStates, 'failed']
    expect([...placed].sort()).toEqual([...outboxStates].sort())
  })

  it('takes a request off the pending list only through a finished, portal-side outcome', () => {
    for (const state of leftPendingOutboxStates) {
      expect(finishedOutboxStates.has(state) && state !== 'cancelled').toBe(true)
    }
  })

  it('calls a problem only what waits for the user or ended against their decision', () => {
    for (const state of problemOutboxStates) {
      expect(['queued', 'sending', 'done', 'cancelled']).not.toContain(state)
    }
    expect(problemOutboxStates.has('failed')).toBe(true)
  })
})
