import { describe, expect, it } from 'vitest'
import type { OutboxItem, OutboxState } from '../../../shared/domain'
import { FailOnceStore } from '../testing/fake-store'
import { FakeClock } from '../testing/fake-clock'
import { FakeStore } from '../testing/fake-store'
import type { StoredOutboxItem } from './outbox-types'
import { approve, createHarness, decline } from './testing/harness'

const HOUR = 60 * 60_000
const DAY = 24 * HOUR

const opIds = (items: readonly { opId: string }[]): string[] => items.map((item) => item.opId)
const storedIds = (store: FakeStore): string[] => opIds(store.get<OutboxItem[]>('items') ?? [])

/** An item as a store file from an earlier session holds it, finished (or last moved) at `at`. */
function stored(opId: string, state: OutboxState, at: number): StoredOutboxItem {
  const when = new Date(at).toISOString()
  return {
    opId,
    profileId: 'p1',
    requestId: `req-${opId}`,
    kind: 'approve',
    reason: null,
    createdAt: when,
    updatedAt: when,
    attempts: state === 'queued' ? 0 : 1,
    state,
    lastError:
      state === 'failed' || state === 'needs-auth'
        ? { code: 'BAD_REQUEST', message: 'refused', retryable: false }
        : null,
    resolution: null,
    label: { developerEmail: null, catalogueName: null },
    nextAttemptAt: null,
    sendAfter: null,
    verifyAfter: null
  }
}

describe('Outbox pruning of finished items', () => {
  it('at start, drops finished items past the retention and keeps every item the user or the outbox still needs, however old', async () => {
    const clock = new FakeClock()
    const old = clock.now() - 30 * DAY
    const store = new FakeStore()
    store.set('items', [
      stored('done-old', 'done', old),
      stored('conflict-old', 'conflict', old),
      stored('cancelled-old', 'cancelled', old),
      stored('queued-old', 'queued', old),
      stored('sending-old', 'sending', old),
      stored('failed-old', 'failed', old),
      stored('auth-old', 'needs-auth', old),
      stored('done-recent', 'done', clock.now() - 6 * DAY)
    ])
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { pending: ['req-queued-old', 'req-sending-old'] } }
    })

    await h.outbox.recover()

    const kept = ['queued-old', 'sending-old', 'failed-old', 'auth-old', 'done-recent']
    expect(opIds(h.outbox.list())).toEqual(kept)
    expect(storedIds(h.store)).toEqual(kept)
    expect(h.outbox.get('sending-old')!.state).toBe('sending')
    expect(h.portal().count('approve')).toBe(0)
  })

  it('at start, prunes in one write when nothing needs reconciling, and writes nothing when nothing is old', async () => {
    const clock = new FakeClock()
    const store = new FakeStore()
    store.set('items', [
      stored('done-old', 'done', clock.now() - 8 * DAY),
      stored('queued-old', 'queued', clock.now() - 8 * DAY)
    ])
    const writesBefore = store.writes
    const h = createHarness({ store, clock })
    await h.outbox.recover()
    expect(store.writes - writesBefore).toBe(1)
    expect(storedIds(store)).toEqual(['queued-old'])

    const again = createHarness({ store, clock })
    await again.outbox.recover()
    expect(store.writes - writesBefore).toBe(1)
  })

  it('a failed write of the pruned list at start does not stop the outbox; the next write carries it', async () => {
    const clock = new FakeClock()
    const store = new FailOnceStore()
    store.set('items', [stored('done-old', 'done', clock.now() - 8 * DAY)])
    const h = createHarness({ store, clock, profiles: { p1: { pending: ['r1'] } } })
    store.failNext = true

    await h.outbox.recover()
    expect(h.outbox.list()).toEqual([])
    expect(storedIds(store)).toEqual(['done-old'])
    expect(h.logs.join('\n')).toMatch(/Could not write the pruned outbox.*no space left on device/)

    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)!.state).toBe('done')
    expect(storedIds(store)).toEqual([opId])
  })

  it('without a logger, a failed write of the pruned list at start does not fail recovery', async () => {
    const clock = new FakeClock()
    const store = new FailOnceStore()
    store.set('items', [stored('done-old', 'done', clock.now() - 8 * DAY)])
    const h = createHarness({ store, clock, deps: { logger: undefined } })
    store.failNext = true
    await expect(h.outbox.recover()).resolves.toBeUndefined()
    expect(h.outbox.list()).toEqual([])
  })

  it('after a flush, drops items finished more than the retention ago in the write the flush makes anyway, and the push shows the shorter list', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r4', 'r5', 'r6'], approved: ['r3'] } }
    })
    const [done, cancelled, conflict, failed] = h.outbox.enqueueMany([
      approve('r1'),
      decline('r2'),
      approve('r3'),
      approve('r4')
    ])
    h.outbox.cancel(cancelled!.opId)
    h.portal().inject('approve', 'bad-request', { requestId: 'r4' })
    await h.outbox.flush()
    expect(
      [done, cancelled, conflict, failed].map((item) => h.outbox.get(item!.opId)!.state)
    ).toEqual(['done', 'cancelled', 'conflict', 'failed'])

    h.clock.skip(6 * DAY)
    const recent = h.outbox.enqueue(approve('r5'))
    await h.outbox.flush()
    // Six days on, nothing is past the seven-day retention yet.
    expect(h.outbox.list()).toHaveLength(5)

    h.clock.skip(2 * DAY)
    const pushes: OutboxItem[][] = []
    h.outbox.onChange((items) => pushes.push(items))
    const latest = h.outbox.enqueue(approve('r6'))
    const writesBefore = h.store.writes
    await h.outbox.flush()

    const kept = [failed!.opId, recent.opId, latest.opId]
    expect(opIds(h.outbox.list())).toEqual(kept)
    expect(storedIds(h.store)).toEqual(kept)
    expect(opIds(pushes.at(-1)!)).toEqual(kept)
    // One write to reserve r6, one at the end of the pass: the pruning added none.
    expect(h.store.writes - writesBefore).toBe(2)
  })

  it('the cap keeps the newest finished items, never drops one within an hour of it finishing, and counts no unfinished item', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3', 'r4', 'r5', 'r9'] } },
      deps: { maxFinishedItems: 2 }
    })
    h.portal().inject('approve', 'bad-request', { requestId: 'r9' })
    const failed = h.outbox.enqueue(approve('r9'))
    const finished: string[] = []
    for (const requestId of ['r1', 'r2', 'r3', 'r4']) {
      finished.push(h.outbox.enqueue(approve(requestId)).opId)
      await h.outbox.flush()
      h.clock.skip(10 * 60_000)
    }
    expect(h.outbox.get(failed.opId)!.state).toBe('failed')
    // Four finished within the last hour: all stay, cap or not.
    expect(opIds(h.outbox.list())).toEqual([failed.opId, ...finished])

    h.clock.skip(2 * HOUR)
    const newest = h.outbox.enqueue(approve('r5'))
    await h.outbox.flush()

    const kept = [failed.opId, finished[3]!, newest.opId]
    expect(opIds(h.outbox.list())).toEqual(kept)
    expect(storedIds(h.store)).toEqual(kept)
  })

  it('a second approve of a request whose done item was pruned is not sent: the pre-flight read finds it approved', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const first = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(first.opId)!.state).toBe('done')

    h.clock.skip(8 * DAY)
    h.outbox.enqueue(approve('r2'))
    await h.outbox.flush()
    expect(h.outbox.get(first.opId)).toBeNull()
    expect(h.store.dump()).not.toContain(first.opId)

    const again = h.outbox.enqueue(approve('r1'))
    const declined = h.outbox.enqueue(decline('r1'))
    await h.outbox.flush()

    expect(h.outbox.get(again.opId)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.outbox.get(declined.opId)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.portal().count('approve', 'r1')).toBe(1)
    expect(h.portal().approvals.get('r1')).toBe(1)
    expect(h.portal().count('decline')).toBe(0)
    expect(h.portal().deletesOfApproved).toBe(0)
  })
})
