import { describe, expect, it } from 'vitest'
import { approve, createHarness } from './testing/harness'

const HOLD = 5_000

describe('Outbox undo of a batch (cancelMany)', () => {
  it('Undo cancels the held items of a batch in one write; nothing of them is ever sent', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2', 'r3'] } } })
    h.outbox.start()
    const batch = h.outbox.enqueueMany(
      ['r1', 'r2', 'r3'].map((id) => approve(id)),
      { holdMs: HOLD }
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
    const item = h.outbox.enqueue(approve('r1'), { holdMs: HOLD })
    await h.clock.advance(HOLD)
    await h.outbox.flush('p1')
    expect(h.outbox.cancelMany([item.opId])).toEqual([
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('done') })
    ])
    expect(h.portal().count('approve', 'r1')).toBe(1)
  })
})
