import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { FakeClock, until } from '../testing/fake-clock'
import { approve, createHarness, decline } from './testing/harness'

/**
 * Leaves a store as a process killed mid-flush would: r1..r3 in flight (`sending`), r4 queued
 * behind them. Returns that file's contents and the clock.
 */
async function crashMidFlush() {
  const dead = createHarness({
    profiles: { p1: { pending: ['r1', 'r2', 'r3', 'r4'] } },
    deps: { concurrency: 3, batchSize: 3 }
  })
  dead.portal().hold('approve', 'r1')
  dead.portal().hold('decline', 'r2')
  dead.portal().hold('approve', 'r3')
  dead.outbox.enqueueMany([approve('r1'), decline('r2'), approve('r3'), approve('r4')])
  void dead.outbox.flush()
  await until(() => dead.portal().inFlight === 3)
  const store = dead.store.clone()
  expect(store.get<OutboxItem[]>('items')!.map((item) => item.state)).toEqual([
    'sending',
    'sending',
    'sending',
    'queued'
  ])
  return { store, clock: dead.clock }
}

describe('Outbox recovery after a crash', () => {
  it('reconciles every sending item by re-reading before anything else is sent', async () => {
    const { store, clock } = await crashMidFlush()
    // What the Dashboard shows after the crash: r1's approve landed, r2's decline landed, r3's did not.
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { approved: ['r1'], pending: ['r3', 'r4'] } },
      deps: { reconcileGraceMs: 15_000 }
    })
    await h.outbox.recover()

    expect(h.portal().calls.map((call) => call.method)).toEqual([
      'listRequests',
      'getRequest',
      'getRequest'
    ])
    expect(h.byRequest('r1')).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' }
    })
    expect(h.byRequest('r1').lastError!.message).toMatch(/reply carrying the key was lost/)
    expect(h.byRequest('r2')).toMatchObject({ state: 'done', resolution: null })
    expect(h.byRequest('r3')).toMatchObject({ state: 'sending', lastError: { code: 'INTERNAL' } })
    expect(Date.parse(h.byRequest('r3').nextAttemptAt!)).toBe(clock.now() + 15_000)
    expect(h.byRequest('r4').state).toBe('queued')

    await h.outbox.flush()
    expect(h.portal().count('approve', 'r3')).toBe(0)
    expect(h.byRequest('r4').state).toBe('done')

    await clock.advance(15_000)
    await h.outbox.flush()
    expect(h.byRequest('r3').state).toBe('done')
    expect(h.portal().approvals.get('r3')).toBe(1)
    expect(h.portal().count('approve')).toBe(2)
  })

  it('flush() recovers first even when recover() was not called', async () => {
    const { store, clock } = await crashMidFlush()
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { approved: ['r1', 'r3'], pending: ['r4'] } }
    })
    await h.outbox.flush()
    const methods = h.portal().calls.map((call) => call.method)
    expect(methods.indexOf('approve')).toBeGreaterThan(methods.lastIndexOf('getRequest'))
    expect(h.portal().count('approve')).toBe(1)
    expect(
      h.outbox.list().map((item) => [item.requestId, item.state, item.resolution?.reason ?? null])
    ).toEqual([
      ['r1', 'done', 'response-lost'],
      ['r2', 'done', null],
      ['r3', 'done', 'response-lost'],
      ['r4', 'done', null]
    ])
  })

  it('keeps sending items unsent while the portal is unreachable at start', async () => {
    const { store, clock } = await crashMidFlush()
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { pending: ['r1', 'r2', 'r3', 'r4'] } }
    })
    h.portal().inject('listRequests', 'offline')
    await h.outbox.recover()
    expect(h.outbox.list().map((item) => item.state)).toEqual([
      'sending',
      'sending',
      'sending',
      'queued'
    ])
    expect(h.byRequest('r1').lastError?.code).toBe('OFFLINE')

    await clock.advance(15_000)
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.list().map((item) => item.state)).toEqual(['done', 'done', 'done', 'done'])
    expect([...h.portal().approvals.values()]).toEqual([1, 1, 1])
  })

  it('parks unsent sending items as needs-auth, and still re-checks them after the secret is fixed', async () => {
    const { store, clock } = await crashMidFlush()
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { approved: ['r1'], pending: ['r3', 'r4'] } }
    })
    h.portal().inject('listRequests', 'auth')
    await h.outbox.recover()
    expect(h.outbox.list().map((item) => item.state)).toEqual([
      'needs-auth',
      'needs-auth',
      'needs-auth',
      'needs-auth'
    ])

    h.outbox.requeueProfile('p1')
    await h.outbox.flush()
    expect(h.byRequest('r1')).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' }
    })
    expect(h.portal().count('approve', 'r1')).toBe(0)
    expect(h.portal().count('approve', 'r3')).toBe(0)
    expect(h.byRequest('r4').state).toBe('done')
  })

  it('reads only the items left sending: a queued item is judged by the first flush, not by recovery', async () => {
    const { store, clock } = await crashMidFlush()
    // r4 (queued, never sent) was removed on the Dashboard meanwhile.
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { approved: ['r1'], pending: ['r3'] } }
    })
    await h.outbox.recover()
    expect(h.portal().count('getRequest', 'r4')).toBe(0)
    expect(h.byRequest('r4')).toMatchObject({ state: 'queued', lastError: null })
  })

  it('sends nothing while recovering, even an item whose grace has passed and whose request is still pending', async () => {
    const dead = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    dead.portal().inject('approve', 'lost-before-commit')
    const { opId } = dead.outbox.enqueue(approve('r1'))
    await dead.outbox.flush()
    expect(dead.outbox.get(opId)!.state).toBe('sending')
    const store = dead.store.clone()
    dead.clock.skip(15_000)

    const h = createHarness({ store, clock: dead.clock, profiles: { p1: { pending: ['r1'] } } })
    await h.outbox.recover()
    expect(h.portal().count('approve')).toBe(0)
    expect(h.outbox.get(opId)).toMatchObject({ state: 'queued' })
    await h.outbox.flush()
    expect(h.portal().approvals.get('r1')).toBe(1)
  })
})

describe('Outbox recovery of items left in flight', () => {
  it('re-reads only the items left sending: a queued action waits for the first flush', async () => {
    const { store, clock } = await crashMidFlush()
    // r4's request went meanwhile; a read of it now would settle it before any flush asked to.
    const h = createHarness({ store, clock, profiles: { p1: { approved: ['r1', 'r3'] } } })
    await h.outbox.recover()
    expect(h.portal().count('getRequest', 'r4')).toBe(0)
    expect(h.byRequest('r4')).toMatchObject({ state: 'queued', resolution: null })
  })

  it('keeps the recheck deadline an earlier process set: once past, a pending read clears the item to be sent', async () => {
    const dead = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    dead.portal().inject('approve', 'lost-before-commit')
    dead.outbox.enqueue(approve('r1'))
    await dead.outbox.flush()
    expect(dead.byRequest('r1')).toMatchObject({ state: 'sending', lastError: { code: 'TIMEOUT' } })

    dead.clock.skip(60_000)
    const h = createHarness({
      store: dead.store.clone(),
      clock: dead.clock,
      profiles: { p1: { pending: ['r1'] } }
    })
    await h.outbox.recover()
    expect(h.byRequest('r1').state).toBe('queued')
    await h.outbox.flush()
    expect(h.portal().approvals.get('r1')).toBe(1)
  })

  it('writes the recheck deadline before re-reading, so a crash during the re-read does not restart the wait', async () => {
    const dead = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    dead.portal().hold('approve', 'r1')
    dead.outbox.enqueue(approve('r1'))
    void dead.outbox.flush()
    await until(() => dead.portal().count('approve') === 1)

    const second = createHarness({
      store: dead.store.clone(),
      clock: dead.clock,
      profiles: { p1: { pending: ['r1'] } },
      deps: { reconcileGraceMs: 15_000 }
    })
    second.portal().hold('getRequest', 'r1')
    void second.outbox.recover()
    await until(() => second.portal().count('getRequest') === 1)

    dead.clock.skip(15_000)
    const third = createHarness({
      store: second.store.clone(),
      clock: dead.clock,
      profiles: { p1: { pending: ['r1'] } },
      deps: { reconcileGraceMs: 15_000 }
    })
    await third.outbox.recover()
    expect(third.byRequest('r1').state).toBe('queued')
  })
})

describe('Outbox entries it cannot read', () => {
  it('keeps an entry written by a newer version (or damaged) in the file through later writes, never sending it', async () => {
    const seed = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    seed.outbox.enqueue(decline('r1'))
    const store = seed.store.clone()
    const newer = {
      ...store.get<Record<string, unknown>[]>('items')![0],
      opId: 'from-a-newer-version',
      requestId: 'r9',
      state: 'awaiting-second-admin'
    }
    store.set('items', [...store.get<unknown[]>('items')!, newer])

    const h = createHarness({ store, profiles: { p1: { pending: ['r1', 'r2'] } } })
    expect(h.outbox.list().map((item) => item.requestId)).toEqual(['r1'])
    h.outbox.enqueue(approve('r2'))
    await h.outbox.flush()
    const written = h.store.get<{ opId: string; state: string }[]>('items')!
    expect(written.find((entry) => entry.opId === 'from-a-newer-version')).toEqual(newer)
    expect(written.filter((entry) => entry.state === 'done')).toHaveLength(2)
  })
})

describe('Outbox after the wall clock went back across a restart', () => {
  it('waits what was left of each backoff, not the hours the clock went back as well', async () => {
    const before = createHarness({
      profiles: { p1: { pending: ['r1'] } },
      deps: { random: () => 0.999_999, backoff: { baseMs: 1_000, capMs: 60_000 } }
    })
    before.portal().inject('getRequest', 'offline')
    const { opId } = before.outbox.enqueue(approve('r1'))
    await before.outbox.flush()
    const left = Date.parse(before.outbox.get(opId)!.nextAttemptAt!) - before.clock.now()
    expect(left).toBeGreaterThan(0)

    const clock = new FakeClock(before.clock.now() - 3 * 60 * 60_000)
    const after = createHarness({
      store: before.store.clone(),
      clock,
      profiles: { p1: { pending: ['r1'] } }
    })
    await after.outbox.flush()
    expect(after.outbox.get(opId)!.state).toBe('queued')
    await clock.advance(left)
    await after.outbox.flush()
    expect(after.outbox.get(opId)!.state).toBe('done')
  })
})
