import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { describeOutboxItem } from './messages'
import { FailOnceStore } from '../testing/fake-store'
import { until } from '../testing/fake-clock'
import { approve, createHarness, decline } from './testing/harness'

describe('Outbox enqueue, cancel and retry', () => {
  it('writes an action durably before enqueue returns', () => {
    const h = createHarness()
    const item = h.outbox.enqueue(decline('r1', 'p1', 'no such team'))
    expect(item).toMatchObject({
      state: 'queued',
      attempts: 0,
      reason: 'no such team',
      lastError: null,
      resolution: null,
      nextAttemptAt: null,
      createdAt: new Date(h.clock.now()).toISOString()
    })
    expect(h.store.writes).toBe(1)
    expect(h.store.get<unknown[]>('items')).toHaveLength(1)
  })

  it('forgets an action whose write failed: the user was told so, and it is never sent', async () => {
    const store = new FailOnceStore()
    const h = createHarness({ store, profiles: { p1: { pending: ['r1', 'r2'] } } })
    store.failNext = true
    expect(() => h.outbox.enqueueMany([approve('r1'), decline('r2')])).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ code: 'INTERNAL' }) })
    )
    expect(h.outbox.list()).toEqual([])

    const later = h.outbox.enqueue(approve('r2'))
    await h.outbox.flush()
    expect(h.outbox.list().map((item) => item.opId)).toEqual([later.opId])
    expect(h.store.get<{ requestId: string }[]>('items')?.map((item) => item.requestId)).toEqual([
      'r2'
    ])
    expect(h.portal().count('approve', 'r1')).toBe(0)
    expect(h.portal().count('decline', 'r2')).toBe(0)
  })

  it('a cancel or retry whose write fails changes nothing and says the disk refused it', async () => {
    const store = new FailOnceStore()
    const h = createHarness({ store, profiles: { p1: { pending: ['r1', 'r2'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    store.failNext = true
    expect(() => h.outbox.cancel(opId)).toThrow(/could not be cancelled.*no space left/i)
    expect(h.outbox.get(opId)!.state).toBe('queued')
    // What the disk holds and what is sent agree with what the user was told: still queued.
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.state).toBe('done')
    expect(h.portal().count('approve', 'r1')).toBe(1)

    h.portal().inject('decline', 'bad-request')
    const failed = h.outbox.enqueue(decline('r2'))
    await h.outbox.flush()
    expect(h.outbox.get(failed.opId)!.state).toBe('failed')
    store.failNext = true
    expect(() => h.outbox.retry(failed.opId)).toThrow(/could not be retried.*no space left/i)
    expect(h.outbox.get(failed.opId)!.state).toBe('failed')
  })

  it('a full disk at the end of a pass neither fails the flush nor loses the outcome: the next write saves it', async () => {
    const store = new FailOnceStore()
    const h = createHarness({ store, profiles: { p1: { pending: ['r1', 'r2'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    // The write that records the approve's outcome is refused.
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve') store.failNext = true
    }
    await expect(h.outbox.flush()).resolves.toBeUndefined()
    expect(h.outbox.get(opId)!.state).toBe('done')
    expect(h.logs.join('\n')).toMatch(/Could not save the outbox after sending.*no space left/)
    // Until then the file holds the approve as maybe-sent, which a restart would re-check.
    expect(store.get<{ state: string }[]>('items')?.[0]?.state).toBe('sending')

    h.portal().beforeCall = null
    h.outbox.enqueue(decline('r2'))
    expect(store.get<{ opId: string; state: string }[]>('items')).toContainEqual(
      expect.objectContaining({ opId, state: 'done' })
    )
  })

  it('returns the existing item when the same action is queued twice, and rejects bad input', () => {
    const h = createHarness()
    const first = h.outbox.enqueue(approve('r1'))
    expect(h.outbox.enqueue(approve('r1')).opId).toBe(first.opId)
    expect(h.outbox.enqueue(decline('r1')).opId).not.toBe(first.opId)
    expect(() => h.outbox.enqueue({ ...approve('r1'), requestId: '' })).toThrow(
      /Invalid outbox action/
    )
    expect(h.outbox.list()).toHaveLength(2)
  })

  it('cancels only queued items, and a cancelled item is never sent', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const [queued, other] = h.outbox.enqueueMany([approve('r1'), approve('r2')])
    h.outbox.cancel(queued!.opId)
    expect(h.outbox.get(queued!.opId)!.state).toBe('cancelled')
    await h.outbox.flush()
    expect(h.portal().count('approve', 'r1')).toBe(0)

    expect(() => h.outbox.cancel(queued!.opId)).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ code: 'CONFLICT' }) })
    )
    expect(() => h.outbox.cancel(other!.opId)).toThrow(/this one is done/)
    expect(() => h.outbox.cancel('nope')).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ code: 'NOT_FOUND' }) })
    )
    expect(() => h.outbox.retry(other!.opId)).toThrow(/already ended \(done\)/)
    expect(() => h.outbox.retry(queued!.opId)).toThrow(/already ended \(cancelled\)/)
  })

  it('a cancel while the pre-flight read is on the wire wins: nothing is sent', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    const release = h.portal().hold('getRequest', 'r1')
    const flushing = h.outbox.flush()
    await until(() => h.portal().count('getRequest') === 1)
    h.outbox.cancel(opId)
    release()
    await flushing
    expect(h.portal().count('approve')).toBe(0)
    expect(h.outbox.get(opId)!.state).toBe('cancelled')
  })

  it("drops a deleted profile's items, even in the middle of its flush, and keeps the others", async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] }, p2: { pending: ['s1'] } },
      deps: { concurrency: 1 }
    })
    const [first, second, third] = h.outbox.enqueueMany([
      approve('r1'),
      decline('r2'),
      approve('r3')
    ])
    const other = h.outbox.enqueue(approve('s1', 'p2'))
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush('p1')
    await until(() => h.portal().count('approve') === 1)
    const waiting = h.outbox.waitForSettled(second!.opId, 60_000)

    expect(h.outbox.dropProfile('p1')).toBe(3)
    expect((await waiting).state).toBe('cancelled')
    expect(h.outbox.list().map((item) => item.opId)).toEqual([other.opId])
    expect(h.store.get<{ opId: string }[]>('items')!.map((item) => item.opId)).toEqual([other.opId])
    release()
    await flushing
    expect(h.portal().count('approve', 'r1')).toBe(1)
    expect(h.portal().count('decline', 'r2')).toBe(0)
    expect(h.portal().count('approve', 'r3')).toBe(0)
    expect([first, third].map((item) => h.outbox.get(item!.opId))).toEqual([null, null])
    expect(h.outbox.dropProfile('p1')).toBe(0)

    await h.outbox.flush()
    expect(h.outbox.get(other.opId)!.state).toBe('done')
  })

  it('refuses to retry or cancel an item whose call is in flight', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush()
    await until(() => h.portal().count('approve') === 1)
    expect(() => h.outbox.retry(opId)).toThrow(/being sent right now/)
    expect(() => h.outbox.cancel(opId)).toThrow(/this one is sending/)
    release()
    await flushing
  })
})

describe('Outbox outcomes for callers', () => {
  it('waitForSettled resolves with the outcome, after the credential reached its listener', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    const settled = h.outbox.waitForSettled(opId, 10_000)
    await h.outbox.flush('p1')
    const item = await settled
    expect(item.state).toBe('done')
    expect(h.credentials.map((entry) => entry.item.opId)).toEqual([opId])
  })

  it('waitForSettled resolves at the first failed attempt, and with the current item on timeout', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.portal().inject('getRequest', 'offline', { requestId: 'r1' })
    const [offline] = h.outbox.enqueueMany([approve('r1')])
    const first = h.outbox.waitForSettled(offline!.opId, 10_000)
    await h.outbox.flush()
    expect(await first).toMatchObject({ state: 'queued', lastError: { code: 'OFFLINE' } })

    const stuck = h.outbox.enqueue(approve('r2'))
    h.portal().hold('approve', 'r2')
    const waiting = h.outbox.waitForSettled(stuck.opId, 10_000)
    void h.outbox.flush('p1')
    await until(() => h.portal().count('approve', 'r2') === 1)
    await h.clock.advance(10_000)
    expect(await waiting).toMatchObject({ state: 'sending', lastError: null })
    await expect(h.outbox.waitForSettled('nope', 1)).rejects.toMatchObject({
      error: { code: 'NOT_FOUND' }
    })
  })

  it('a waiter hears a problem only after its flush reported it, even when the flush writes again before its end', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r2'], approved: ['r1'] } } })
    const [conflict] = h.outbox.enqueueMany([approve('r1'), approve('r2')])
    const reportedWhenAnswered: number[] = []
    const waiting = h.outbox.waitForSettled(conflict!.opId, 60_000).then((item) => {
      reportedWhenAnswered.push(h.problems.length)
      return item
    })
    await h.outbox.flush()
    expect((await waiting).state).toBe('conflict')
    // r2's reservation was written while r1 was already settled: the answer still waited for
    // the report, which is what keeps an answered problem out of the notifications.
    expect(reportedWhenAnswered).toEqual([1])
  })

  it('reports the conflicts and failures of each profile flush once', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'], approved: ['r3'] } } })
    h.portal().inject('approve', 'bad-request', { requestId: 'r2' })
    h.outbox.enqueueMany([approve('r1'), approve('r2'), decline('r3')])
    await h.outbox.flush()
    expect(h.problems).toHaveLength(1)
    expect(h.problems[0]!.map((item) => [item.requestId, item.state])).toEqual([
      ['r3', 'conflict'],
      ['r2', 'failed']
    ])
  })

  it('runs on its own when started: flushes new items and wakes at the earliest backoff expiry', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { random: () => 0.5 }
    })
    h.outbox.start()
    h.outbox.enqueue(approve('r1'))
    await h.clock.advance(0)
    await until(() => h.byRequest('r1').state === 'done')

    h.portal().inject('approve', 'server-error')
    h.outbox.enqueue(approve('r2'))
    await h.clock.advance(0)
    await until(() => h.byRequest('r2').lastError !== null)
    const wakeAt = h.outbox.nextWakeAt()
    expect(wakeAt).toBe(Date.parse(h.byRequest('r2').nextAttemptAt!))
    await h.clock.advance(wakeAt! - h.clock.now() - 1)
    expect(h.portal().count('approve', 'r2')).toBe(1)
    await h.clock.advance(1)
    await until(() => h.byRequest('r2').state === 'done')
    expect(h.outbox.nextWakeAt()).toBeNull()

    await h.outbox.stop()
    h.outbox.enqueue(decline('r3'))
    await h.clock.advance(60_000)
    expect(h.byRequest('r3').state).toBe('queued')
    expect(h.clock.pending()).toBe(0)
  })
})

describe('Outbox flush', () => {
  it("flush(profileId) sends that profile's actions only", async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] }, p2: { pending: ['s1'] } } })
    const [mine, theirs] = h.outbox.enqueueMany([approve('r1'), approve('s1', 'p2')])
    await h.outbox.flush('p1')
    expect(h.outbox.get(mine!.opId)!.state).toBe('done')
    expect(h.outbox.get(theirs!.opId)!.state).toBe('queued')
    expect(h.portal('p2').calls).toHaveLength(0)
  })

  it('a flush with nothing due writes nothing and tells no listener', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueue(approve('r1'), { holdMs: 5_000 })
    const writes = h.store.writes
    const changes: OutboxItem[][] = []
    h.outbox.onChange((items) => changes.push(items))
    await h.outbox.flush()
    expect(h.store.writes).toBe(writes)
    expect(changes).toEqual([])
  })

  it("reports a pass's problems to their listeners before a waiter takes its answer", async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'bad-request')
    const { opId } = h.outbox.enqueue(approve('r1'))
    // A listener retrying what failed: the waiter must not answer with the failure it handled.
    h.outbox.onSettled((items) => items.forEach((item) => h.outbox.retry(item.opId)))
    const answer = h.outbox.waitForSettled(opId, 60_000)
    await h.outbox.flush()
    await h.outbox.flush()
    expect((await answer).state).toBe('done')
  })

  it('a flush whose actions all succeed reports no problems', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.byRequest('r1').state).toBe('done')
    expect(h.problems).toEqual([])
  })
})

describe('describeOutboxItem', () => {
  const classic = { decline: 'deletes' } as const
  const describeClassic = (item: OutboxItem) => describeOutboxItem(item, classic)

  it('puts each outcome in words a notification or ActionOutcome can carry', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'], approved: ['r3'] } } })
    h.portal().inject('approve', 'lost-after-commit', { requestId: 'r2' })
    const items = h.outbox.enqueueMany([approve('r1'), approve('r2'), decline('r3'), decline('r4')])
    expect(describeClassic(items[0]!)).toBe('Queued: the approval will be sent shortly.')
    await h.outbox.flush()
    const [done, lost, conflict, removed] = h.outbox.list().map(describeClassic)
    expect(done).toBe('Approved: the key can be shown once.')
    expect(lost).toMatch(/^Approved on the Dashboard, but the reply carrying the key was lost/)
    expect(conflict).toMatch(/^Approved on the Dashboard before this decline took effect/)
    expect(removed).toMatch(/^Nothing to do: the request had already been declined or deleted/)
  })

  it('says what a decline did in the words of a portal that rejects instead of deleting', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueueMany([decline('r1'), decline('r2')])
    await h.outbox.flush()
    const rejects = { decline: 'rejects' } as const
    const [declined, gone] = h.outbox.list().map((item) => describeOutboxItem(item, rejects))
    expect(declined).toBe('Declined: the request was rejected.')
    expect(gone).toBe(
      'Nothing to do: the request had already been declined or rejected on the Dashboard.'
    )
    expect(h.outbox.list().map(describeClassic)[0]).toBe('Declined: the request was deleted.')
  })
})
