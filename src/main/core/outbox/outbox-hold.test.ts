import { describe, expect, it } from 'vitest'
import { until } from '../testing/fake-clock'
import { approve, createHarness, decline } from './testing/harness'

const HOLD = 5_000

describe('Outbox undo window (holdMs)', () => {
  it('sends a held action only once its hold has ended, on its own timer', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.start()
    const item = h.outbox.enqueue({ ...approve('r1'), holdMs: HOLD })
    expect(item.nextAttemptAt).toBe(new Date(h.clock.now() + HOLD).toISOString())
    await h.outbox.flush('p1')
    await h.clock.advance(HOLD - 1)
    expect(h.portal().count('approve', 'r1')).toBe(0)
    expect(h.outbox.get(item.opId)!.state).toBe('queued')

    await h.clock.advance(1)
    await until(() => h.outbox.get(item.opId)!.state === 'done')
    expect(h.portal().count('approve', 'r1')).toBe(1)
    await h.outbox.stop()
  })

  it('is not overridden by flushes that ignore backoff (reconnect, start-up, retry sweeps)', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const [held, free] = h.outbox.enqueueMany([{ ...approve('r1'), holdMs: HOLD }, decline('r2')])
    await h.outbox.flush('p1', { ignoreBackoff: true })
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.get(free!.opId)!.state).toBe('done')
    expect(h.outbox.get(held!.opId)!.state).toBe('queued')
    expect(h.portal().count('approve', 'r1')).toBe(0)
  })

  it('Undo cancels the held items of a batch in one write; nothing of them is ever sent', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2', 'r3'] } } })
    h.outbox.start()
    const batch = h.outbox.enqueueMany(
      ['r1', 'r2', 'r3'].map((id) => ({ ...approve(id), holdMs: HOLD }))
    )
    const writes = h.store.writes
    const refused = h.outbox.cancelMany([...batch.map((item) => item.opId), 'unknown-op'])
    expect(refused).toEqual([expect.objectContaining({ opId: 'unknown-op', code: 'NOT_FOUND' })])
    expect(h.store.writes).toBe(writes + 1)
    await h.clock.advance(HOLD * 2)
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.list().map((item) => item.state)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled'
    ])
    expect(h.portal().count('approve')).toBe(0)
    await h.outbox.stop()
  })

  it('refuses to undo an item whose hold ended and which was sent', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const item = h.outbox.enqueue({ ...approve('r1'), holdMs: HOLD })
    await h.clock.advance(HOLD)
    await h.outbox.flush('p1')
    expect(h.outbox.cancelMany([item.opId])).toEqual([
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('done') })
    ])
    expect(h.portal().count('approve', 'r1')).toBe(1)
  })

  it('keeps the hold across a restart inside the window, then sends the action exactly once', async () => {
    const first = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const item = first.outbox.enqueue({ ...approve('r1'), holdMs: HOLD })
    await first.clock.advance(HOLD / 2)
    // A quit inside the window: the next start's flush ignores backoff, but not the hold.
    const restarted = createHarness({
      store: first.store.clone(),
      clock: first.clock,
      profiles: { p1: { pending: ['r1'] } }
    })
    await restarted.outbox.recover()
    restarted.outbox.start()
    await restarted.outbox.flush(undefined, { ignoreBackoff: true })
    expect(restarted.portal().count('approve', 'r1')).toBe(0)

    await restarted.clock.advance(HOLD / 2)
    await until(() => restarted.outbox.get(item.opId)?.state === 'done')
    expect(restarted.portal().count('approve', 'r1')).toBe(1)
    await restarted.outbox.stop()
  })
})
