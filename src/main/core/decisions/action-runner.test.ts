import { describe, expect, it } from 'vitest'
import { testProfile } from '../../../shared/testing/profile'
import { createHarness } from '../outbox/testing/harness'
import { portalAdapters } from '../portal/adapters'
import { createActionRunner } from './action-runner'

/**
 * A runner over a real outbox whose portal client never comes (a keychain that does not answer),
 * so an action stays queued with no outcome and each approve waits out its own time.
 */
function stalledRunner() {
  const h = createHarness({ deps: { clientFor: () => new Promise(() => {}) } })
  const profile = testProfile({ id: 'p1' })
  const runner = createActionRunner({
    outbox: h.outbox,
    profiles: { get: () => profile, list: () => [profile] },
    knownRequest: () => null,
    keyIdFor: () => null,
    flush: (profileId) => void h.outbox.flush(profileId),
    waitMs: 1_000,
    holdMs: () => 0,
    adapters: portalAdapters
  })
  return { ...h, runner }
}

describe('ActionRunner', () => {
  it('leaves an action out of notifications while any approve of it still waits for its outcome', async () => {
    const { runner, outbox, clock } = stalledRunner()
    const first = runner.approve({ profileId: 'p1', requestId: 'r1' })
    await clock.advance(600)
    // The same request approved again joins the action already queued.
    const second = runner.approve({ profileId: 'p1', requestId: 'r1' })
    const [item] = outbox.list()
    expect(outbox.list()).toHaveLength(1)

    await clock.advance(500)
    expect((await first).state).toBe('queued')
    expect(runner.unannounced([item!])).toEqual([])

    await clock.advance(600)
    expect((await second).opId).toBe(item!.opId)
    expect(runner.unannounced([item!])).toEqual([item])
  })
})
