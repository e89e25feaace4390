import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import { until } from '../testing/fake-clock'
import { FakeStore } from '../testing/fake-store'
import { approve, createHarness } from './testing/harness'

/** A store on a disk that fills up: writes refused with ENOSPC while `full`. */
class FillingStore extends FakeStore {
  full = false
  override set(key: string, value: unknown): void {
    if (this.full) {
      throw new AppFailure(
        'INTERNAL',
        'The outbox store (outbox.json) cannot be written: the disk is full; free some space (ENOSPC).'
      )
    }
    super.set(key, value)
  }
}

describe('Outbox on a disk that fills up', () => {
  it('a flush the disk refuses is logged, crashes nothing, and the next flush sends', async () => {
    const store = new FillingStore()
    const h = createHarness({ store, profiles: { p1: { pending: ['r1', 'r2'] } } })
    const { opId } = h.outbox.enqueue(approve('r1'))
    store.full = true
    const first = h.outbox.flush('p1')
    const joined = h.outbox.flush('p1')
    // Nothing was sent without its `sending` record; the callers hear it through the log.
    await expect(first).resolves.toBeUndefined()
    await expect(joined).resolves.toBeUndefined()
    expect(h.logs.join('\n')).toMatch(/ENOSPC/)
    expect(h.portal().count('approve', 'r1')).toBe(0)
    store.full = false
    await h.outbox.flush('p1', { ignoreBackoff: true })
    expect(h.outbox.get(opId)!.state).toBe('done')
    expect(h.portal().approvals.get('r1')).toBe(1)
  })

  it('stop() finishes, without rejecting, while a flush fails on the full disk', async () => {
    const store = new FillingStore()
    const h = createHarness({ store, profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueue(approve('r1'))
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush('p1')
    await until(() => h.portal().inFlight === 1)
    // The approve is on the wire when the disk fills and the app quits.
    store.full = true
    const stopping = h.outbox.stop()
    release()
    await expect(flushing).resolves.toBeUndefined()
    await expect(stopping).resolves.toBeUndefined()
    expect(h.logs.join('\n')).toMatch(/Could not save the outbox after sending.*ENOSPC/)
  })

  it('a recovery the full disk refused is tried again by the next flush, not remembered as failed', async () => {
    const dead = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    dead.portal().hold('approve', 'r1')
    dead.outbox.enqueue(approve('r1'))
    void dead.outbox.flush('p1')
    await until(() => dead.store.get<OutboxItem[]>('items')?.[0]?.state === 'sending')
    // Restarted on the file the dead process left (r1 `sending`), with the disk full.
    const store = new FillingStore()
    for (const [key, value] of dead.store.data) store.data.set(key, value)
    store.full = true
    const h = createHarness({
      store,
      clock: dead.clock,
      profiles: { p1: { approved: ['r1'] } },
      deps: { reconcileGraceMs: 15_000 }
    })
    await expect(h.outbox.flush('p1')).rejects.toThrow(/ENOSPC/)
    store.full = false
    await h.outbox.flush('p1')
    expect(h.byRequest('r1')).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' }
    })
  })

  it('without a logger, a write the full disk refuses at the end of a pass still ends the flush', async () => {
    const store = new FillingStore()
    const h = createHarness({
      store,
      profiles: { p1: { pending: ['r1'] } },
      deps: { logger: undefined }
    })
    const { opId } = h.outbox.enqueue(approve('r1'))
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve') store.full = true
    }
    await expect(h.outbox.flush()).resolves.toBeUndefined()
    expect(h.outbox.get(opId)!.state).toBe('done')
  })
})
