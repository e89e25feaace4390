import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { until } from '../testing/fake-clock'
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

/** The AppError a command threw. */
function thrownBy(command: () => unknown): unknown {
  try {
    command()
  } catch (thrown) {
    return thrown instanceof AppFailure ? thrown.error : thrown
  }
  throw new Error('expected the command to throw')
}

describe('Outbox commands: the errors they answer', () => {
  it('refuses bad input and a bad Undo window as VALIDATION', () => {
    const h = createHarness()
    expect(thrownBy(() => h.outbox.enqueue({ ...approve('r1'), requestId: '' }))).toMatchObject({
      code: 'VALIDATION'
    })
    expect(thrownBy(() => h.outbox.enqueue(approve('r1'), { holdMs: -1 }))).toMatchObject({
      code: 'VALIDATION'
    })
  })

  it('says why each cancel of a batch was refused', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.cancelMany(['nope', opId])).toEqual([
      { opId: 'nope', code: 'NOT_FOUND', message: 'That outbox action no longer exists.' },
      { opId, code: 'CONFLICT', message: 'Only queued actions can be cancelled; this one is done.' }
    ])
  })

  it('a Retry the disk refuses is INTERNAL and worth trying again', async () => {
    const store = new FailOnceStore()
    const h = createHarness({ store, profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'bad-request')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    store.failNext = true
    expect(thrownBy(() => h.outbox.retry(opId))).toMatchObject({
      code: 'INTERNAL',
      retryable: true
    })
  })

  it('a Retry of an action in flight is a CONFLICT', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush()
    await until(() => h.portal().count('approve') === 1)
    expect(thrownBy(() => h.outbox.retry(opId))).toMatchObject({ code: 'CONFLICT' })
    release()
    await flushing
  })
})

describe('Outbox Retry of an action waiting to re-check an unknown outcome', () => {
  it('re-checks now: the wait ends, nothing is sent before the grace period', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'lost-before-commit')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({ state: 'sending' })
    expect(h.outbox.get(opId)!.nextAttemptAt).not.toBeNull()

    h.outbox.retry(opId)
    expect(h.outbox.get(opId)).toMatchObject({ state: 'sending', nextAttemptAt: null })
    expect(h.portal().count('approve')).toBe(1)
  })

  it('the wake timer sends a failed action again once it is retried', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'bad-request')
    h.outbox.start()
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.clock.advance(0)
    await until(() => h.outbox.get(opId)!.state === 'failed')
    h.outbox.retry(opId)
    await h.clock.advance(0)
    await until(() => h.outbox.get(opId)!.state === 'done')
    await h.outbox.stop()
  })
})

describe('Outbox requeueProfile and cancelProfile', () => {
  it('re-queues only the parked items of that profile, and of that cause if given, durably', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] }, p2: { pending: ['s1'] } }
    })
    h.portal('p1').inject('approve', 'bad-request', { requestId: 'r3' })
    const failed = h.outbox.enqueue(approve('r3'))
    await h.outbox.flush()
    h.clientFailures.set('p1', new AppFailure('KEYCHAIN_UNAVAILABLE', 'No keychain answered.'))
    h.clientFailures.set('p2', new AppFailure('KEYCHAIN_UNAVAILABLE', 'No keychain answered.'))
    const noKeychain = h.outbox.enqueue(approve('r1'))
    const other = h.outbox.enqueue(approve('s1', 'p2'))
    await h.outbox.flush()
    h.clientFailures.set('p1', new AppFailure('AUTH_REJECTED', 'The key was rejected.'))
    const rejected = h.outbox.enqueue(approve('r2'))
    await h.outbox.flush('p1')
    const state = (id: string) => h.outbox.get(id)!.state
    expect([noKeychain, rejected, other, failed].map((item) => state(item.opId))).toEqual([
      'needs-auth',
      'needs-auth',
      'needs-auth',
      'failed'
    ])

    expect(h.outbox.requeueProfile('p1', 'KEYCHAIN_UNAVAILABLE')).toBe(1)
    expect([noKeychain, rejected, other, failed].map((item) => state(item.opId))).toEqual([
      'queued',
      'needs-auth',
      'needs-auth',
      'failed'
    ])
    const restarted = createHarness({ store: h.store, clock: h.clock })
    expect(restarted.outbox.get(noKeychain.opId)!.state).toBe('queued')
  })

  it("cancels the profile's queued, parked and failed items, durably, marking one that may have landed", async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3', 'r4', 'r5'] }, p2: { pending: ['s1'] } }
    })
    h.portal('p1').inject('approve', 'bad-request', { requestId: 'r2' })
    h.portal('p1').inject('approve', 'crash', { requestId: 'r3' })
    const [done, failed, maybeSent] = h.outbox.enqueueMany([
      approve('r1'),
      approve('r2'),
      approve('r3')
    ])
    await h.outbox.flush()
    h.clientFailures.set('p1', new AppFailure('KEYCHAIN_UNAVAILABLE', 'No keychain answered.'))
    const parked = h.outbox.enqueue(approve('r5'))
    await h.outbox.flush('p1')
    h.clientFailures.delete('p1')
    // A failed call that may have landed, retried: queued, but it must be checked first.
    h.outbox.retry(maybeSent!.opId)
    const queued = h.outbox.enqueue(approve('r4'))
    const other = h.outbox.enqueue(approve('s1', 'p2'))
    const all = [done, failed, maybeSent, queued, parked, other].map((item) => item!.opId)
    const states = (outbox = h.outbox) => all.map((id) => outbox.get(id)!.state)
    expect(states()).toEqual(['done', 'failed', 'queued', 'queued', 'needs-auth', 'queued'])

    expect(h.outbox.cancelMany([maybeSent!.opId])).toEqual([
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/must check/) })
    ])
    h.outbox.cancelProfile('p1')
    const expected = ['done', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'queued']
    expect(states()).toEqual(expected)
    const restarted = createHarness({ store: h.store, clock: h.clock }).outbox
    expect(states(restarted)).toEqual(expected)
    expect(all.map((id) => restarted.get(id)!.resolution?.reason ?? null)).toEqual([
      null,
      null,
      'cancelled-outcome-unknown',
      null,
      null,
      null
    ])
    expect(restarted.get(maybeSent!.opId)!.lastError).toEqual({
      code: 'INTERNAL',
      message:
        'Cancelled with its portal before Keygate could check whether an earlier attempt of this approval reached the Dashboard. ' +
        'If it did, r3@example.com holds a live key for Gold that no admin has seen: check their keys on the Dashboard (Developers, r3@example.com) and revoke it if it is there.',
      retryable: false
    })
    const writes = h.store.writes
    h.outbox.cancelProfile('p1')
    expect(h.store.writes).toBe(writes)
  })

  it('leaves the actions a running pass has reserved: they were never sent, and it sends them', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { concurrency: 1 }
    })
    const [first, second] = h.outbox.enqueueMany([approve('r1'), approve('r2')])
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush('p1')
    await until(() => h.portal().count('approve') === 1)
    expect(h.outbox.get(second!.opId)!.state).toBe('sending')

    h.outbox.cancelProfile('p1')
    expect([first, second].map((item) => h.outbox.get(item!.opId)!.state)).toEqual([
      'sending',
      'sending'
    ])
    release()
    await flushing
    expect(h.portal().count('approve', 'r2')).toBe(1)
    expect(h.outbox.get(second!.opId)!.state).toBe('done')
  })
})
