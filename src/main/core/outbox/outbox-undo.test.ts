import { describe, expect, it } from 'vitest'
import { FakeClock } from '../testing/fake-clock'
import { FakeStore } from '../testing/fake-store'
import { approve, createHarness, decline } from './testing/harness'

const HOLD = 5_000

describe('Outbox Undo window (holdMs / sendAfter)', () => {
  it('sends nothing before sendAfter, even on a flush that ignores backoff or a Retry, then sends once', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const item = h.outbox.enqueue(approve('r1'), { holdMs: HOLD })
    expect(item.sendAfter).toBe(new Date(h.clock.now() + HOLD).toISOString())
    expect(h.outbox.nextWakeAt()).toBe(h.clock.now() + HOLD)

    await h.outbox.flush()
    await h.outbox.flush('p1', { ignoreBackoff: true })
    h.outbox.retry(item.opId)
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().calls).toHaveLength(0)
    expect(h.outbox.get(item.opId)).toMatchObject({ state: 'queued', attempts: 0 })

    await h.clock.advance(HOLD)
    await h.outbox.flush()
    expect(h.outbox.get(item.opId)).toMatchObject({ state: 'done', attempts: 1 })
    expect(h.portal().count('approve', 'r1')).toBe(1)
  })

  it('Undo is a cancel: a held item cancelled in its window is never sent', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const [undone, kept] = h.outbox.enqueueMany([approve('r1'), decline('r2')], { holdMs: HOLD })
    h.outbox.cancel(undone!.opId)
    await h.clock.advance(HOLD)
    await h.outbox.flush()
    expect(h.outbox.get(undone!.opId)?.state).toBe('cancelled')
    expect(h.outbox.get(kept!.opId)?.state).toBe('done')
    expect(h.portal().count('approve')).toBe(0)
  })

  it('the wake timer sends a held item when its window ends', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.start()
    const item = h.outbox.enqueue(approve('r1'), { holdMs: HOLD })
    await h.clock.advance(HOLD - 1)
    expect(h.portal().count('approve')).toBe(0)
    await h.clock.advance(1)
    expect((await h.outbox.waitForSettled(item.opId, 60_000)).state).toBe('done')
    await h.outbox.stop()
  })

  it('a restart inside the window keeps it: the new process sends only after sendAfter', async () => {
    const store = new FakeStore()
    const clock = new FakeClock()
    const seed = { p1: { pending: ['r1'] } }
    const first = createHarness({ profiles: seed, store, clock })
    const { opId, sendAfter } = first.outbox.enqueue(approve('r1'), { holdMs: HOLD })
    await first.outbox.stop()

    await clock.advance(HOLD / 2)
    const second = createHarness({ profiles: seed, store, clock })
    await second.outbox.recover()
    await second.outbox.flush(undefined, { ignoreBackoff: true })
    expect(second.outbox.get(opId)).toMatchObject({ state: 'queued', sendAfter })
    expect(second.portal().calls).toHaveLength(0)

    await clock.advance(HOLD / 2)
    await second.outbox.flush()
    expect(second.outbox.get(opId)?.state).toBe('done')
    expect(second.portal().approvals.get('r1')).toBe(1)
  })

  it('queues without a window as before (sendAfter null), and refuses a bad window', () => {
    const h = createHarness()
    expect(h.outbox.enqueue(approve('r1')).sendAfter).toBeNull()
    expect(() => h.outbox.enqueue(approve('r2'), { holdMs: -1 })).toThrow(/Invalid undo delay/)
    expect(h.outbox.list()).toHaveLength(1)
  })
})
