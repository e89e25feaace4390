import { describe, expect, it } from 'vitest'
import { until } from '../testing/fake-clock'
import { approve, createHarness } from './testing/harness'

/** One call at a time, one item per reservation: the items behind r1 wait in the pass's queue. */
const oneByOne = { concurrency: 1, batchSize: 1 }

describe('Outbox items changed while a flush is under way', () => {
  it('never sends an item cancelled while an earlier call is on the wire, nor writes for it', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } }, deps: oneByOne })
    const [, cancelled] = h.outbox.enqueueMany([approve('r1'), approve('r2')])
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush()
    await until(() => h.portal().count('approve', 'r1') === 1)
    h.outbox.cancel(cancelled!.opId)
    const writes = h.store.writes
    release()
    await flushing
    expect(h.portal().count('approve', 'r2')).toBe(0)
    expect(h.outbox.get(cancelled!.opId)!.state).toBe('cancelled')
    // The pass's own closing write, nothing for a reservation that held nothing.
    expect(h.store.writes - writes).toBe(1)
  })

  it('holds every item not yet reserved when a 429 pauses the flush, and leaves a cancelled one as it was', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] } },
      deps: { ...oneByOne, random: () => 0 }
    })
    const [, waiting, cancelled] = h.outbox.enqueueMany([
      approve('r1'),
      approve('r2'),
      approve('r3')
    ])
    h.portal().inject('approve', 'rate-limited', { requestId: 'r1' })
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush()
    await until(() => h.portal().count('approve', 'r1') === 1)
    h.outbox.cancel(cancelled!.opId)
    release()
    await flushing

    const resumeAt = new Date(h.clock.now() + 30_000).toISOString()
    expect(h.outbox.get(waiting!.opId)).toMatchObject({ state: 'queued', nextAttemptAt: resumeAt })
    expect(h.outbox.get(cancelled!.opId)).toMatchObject({ state: 'cancelled', nextAttemptAt: null })
    // The Dashboard's wait holds even for a flush that ignores backoff.
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().count('approve', 'r2')).toBe(0)
  })

  it('an item the outbox stopped before reaching is left as it was, keeping the backoff a flush ignored', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } }, deps: oneByOne })
    const first = h.outbox.enqueue(approve('r1'), { holdMs: 100 })
    h.portal().inject('getRequest', 'offline', { requestId: 'r2' })
    const backedOff = h.outbox.enqueue(approve('r2'))
    await h.outbox.flush()
    const before = h.outbox.get(backedOff.opId)!
    expect(before.nextAttemptAt).not.toBeNull()

    h.clock.skip(100)
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush(undefined, { ignoreBackoff: true })
    await until(() => h.portal().count('approve', 'r1') === 1)
    const stopping = h.outbox.stop()
    release()
    await Promise.all([flushing, stopping])
    expect(h.outbox.get(first.opId)!.state).toBe('done')
    // Read as still pending, then never reached: left exactly as it was.
    expect(h.outbox.get(backedOff.opId)).toEqual(before)
  })

  it('sends nothing more after a 401, not even a re-read of a pending list gone stale', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { ...oneByOne, preflightMaxAgeMs: 1_000 }
    })
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    h.portal().inject('approve', 'auth', { requestId: 'r1' })
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve') h.clock.skip(2_000)
    }
    await h.outbox.flush()
    expect(h.portal().calls.map((call) => call.method)).toEqual(['listRequests', 'approve'])
    expect(h.outbox.list().map((item) => item.state)).toEqual(['needs-auth', 'needs-auth'])
  })
})
