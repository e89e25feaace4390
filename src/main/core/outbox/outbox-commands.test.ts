import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { FailOnceStore } from '../testing/fake-store'
import { approve, createHarness, decline } from './testing/harness'

// The harness draws every jitter at 0.5: a failure streak of n waits 500 * 2^n ms.
const iso = (ms: number): string => new Date(ms).toISOString()

describe('Outbox commands: what each writes, and what it resets', () => {
  it('queuing an action the request already has active writes nothing', () => {
    const h = createHarness()
    h.outbox.enqueue(approve('r1'))
    const writes = h.store.writes
    h.outbox.enqueueMany([approve('r1')])
    expect(h.store.writes).toBe(writes)
  })

  it('says why an action could not be queued', () => {
    const store = new FailOnceStore()
    const h = createHarness({ store })
    store.failNext = true
    expect(() => h.outbox.enqueue(approve('r1'))).toThrow(
      'Could not save the outbox: Error: ENOSPC: no space left on device'
    )
  })

  it('gives an action queued without a label an empty one, which a restart reads back', () => {
    const h = createHarness()
    const { opId } = h.outbox.enqueue(decline('r1'))
    const empty = { developerEmail: null, catalogueName: null }
    expect(h.outbox.get(opId)!.label).toEqual(empty)
    const restarted = createHarness({ store: h.store, clock: h.clock })
    expect(restarted.outbox.get(opId)?.label).toEqual(empty)
  })

  it('Retry starts the backoff over: the next failure waits the first step again', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'server-error', { times: 3 })
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.nextAttemptAt).toBe(iso(h.clock.now() + 500))
    await h.clock.advance(500)
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.nextAttemptAt).toBe(iso(h.clock.now() + 1_000))

    h.outbox.retry(opId)
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'queued',
      attempts: 3,
      nextAttemptAt: iso(h.clock.now() + 500)
    })
  })

  it('a cancelled item waiting out a backoff has no next attempt', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'server-error')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.nextAttemptAt).not.toBeNull()
    h.outbox.cancel(opId)
    expect(h.outbox.get(opId)).toMatchObject({ state: 'cancelled', nextAttemptAt: null })
  })

  it('a cancel that cancels nothing writes nothing', () => {
    const h = createHarness()
    h.outbox.enqueue(approve('r1'))
    const writes = h.store.writes
    expect(h.outbox.cancelMany(['nope']).map((refusal) => refusal.code)).toEqual(['NOT_FOUND'])
    expect(h.store.writes).toBe(writes)
  })

  it('re-queuing a parked profile starts its backoff over', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const unreachable = new AppFailure('TIMEOUT', 'Keychain did not answer in time.', true)
    h.clientFailures.set('p1', unreachable)
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.get(opId)!.nextAttemptAt).toBe(iso(h.clock.now() + 1_000))

    h.clientFailures.set('p1', new AppFailure('KEYCHAIN_UNAVAILABLE', 'No keychain answered.'))
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.get(opId)!.state).toBe('needs-auth')
    h.clientFailures.set('p1', unreachable)
    expect(h.outbox.requeueProfile('p1')).toBe(1)
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.nextAttemptAt).toBe(iso(h.clock.now() + 500))
  })

  it('re-queuing a profile with nothing parked writes nothing', () => {
    const h = createHarness()
    h.outbox.enqueue(approve('r1'))
    const writes = h.store.writes
    expect(h.outbox.requeueProfile('p1')).toBe(0)
    expect(h.store.writes).toBe(writes)
  })

  it('cancelling a profile writes the cancellations', () => {
    const h = createHarness()
    const { opId } = h.outbox.enqueue(approve('r1'))
    h.outbox.cancelProfile('p1')
    expect(createHarness({ store: h.store }).outbox.get(opId)!.state).toBe('cancelled')
  })
})

describe('Outbox dropProfile', () => {
  it('dropping a profile with no items writes nothing', () => {
    const h = createHarness()
    h.outbox.enqueue(approve('r1'))
    const writes = h.store.writes
    expect(h.outbox.dropProfile('p2')).toBe(0)
    expect(h.store.writes).toBe(writes)
  })

  it('a profile id used again after a drop starts with no backoff', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.clientFailures.set('p1', new AppFailure('TIMEOUT', 'Keychain did not answer in time.', true))
    h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    h.outbox.dropProfile('p1')
    const { opId } = h.outbox.enqueue(approve('r2'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.nextAttemptAt).toBe(iso(h.clock.now() + 500))
  })

  it('a waiter hears its item cancelled at the time of the drop', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    const waiting = h.outbox.waitForSettled(opId, 60 * 60_000)
    await h.clock.advance(60_000)
    h.outbox.dropProfile('p1')
    expect(await waiting).toMatchObject({ state: 'cancelled', updatedAt: iso(h.clock.now()) })
  })
})
