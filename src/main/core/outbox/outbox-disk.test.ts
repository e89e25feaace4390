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

  /** r1 is sent and done; the disk fills as it goes out, so reserving r2 fails the pass. */
  async function fillDuringFirstSend(deps: { logger?: undefined } = {}) {
    const store = new FillingStore()
    const h = createHarness({
      store,
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { concurrency: 1, batchSize: 1, ...deps }
    })
    const [sent, left] = h.outbox.enqueueMany([approve('r1'), approve('r2')])
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve') store.full = true
    }
    await h.outbox.flush('p1')
    return { h, sent: h.outbox.get(sent!.opId)!, left: h.outbox.get(left!.opId)! }
  }

  it('a pass the disk stops midway backs off what is left with the error named, and leaves what finished alone', async () => {
    const { h, sent, left } = await fillDuringFirstSend()
    expect(sent).toMatchObject({ state: 'done', lastError: null, nextAttemptAt: null })
    // Without the wait the scheduler would retry the same refused write at once, in a loop.
    expect(left).toMatchObject({
      state: 'queued',
      lastError: {
        code: 'INTERNAL',
        message: expect.stringMatching(/^Unexpected error in the outbox: .*ENOSPC/),
        retryable: true
      }
    })
    expect(Date.parse(left.nextAttemptAt!)).toBeGreaterThan(h.clock.now())
    expect(h.portal().count('approve', 'r2')).toBe(0)
    expect(h.logs).toContainEqual(
      expect.stringMatching(
        /^Outbox flush failed unexpectedly \{"profileId":"p1","error":".*ENOSPC/
      )
    )
  })

  it('a pass the disk stops midway backs off what is left even with no logger', async () => {
    const { left } = await fillDuringFirstSend({ logger: undefined })
    expect(left).toMatchObject({ state: 'queued', lastError: { code: 'INTERNAL' } })
  })

  it('an item the Dashboard held off in a pass the disk then stopped keeps the longer of the two waits', async () => {
    const store = new FillingStore()
    const h = createHarness({
      store,
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: {
        concurrency: 1,
        batchSize: 1,
        random: () => 0.5,
        backoff: { baseMs: 1_000, capMs: 60_000 }
      }
    })
    h.portal().inject('approve', 'server-error', { requestId: 'r1' })
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush('p1')
    await h.clock.advance(500)

    h.outbox.enqueue(approve('r2'))
    h.portal().inject('approve', 'server-error', { requestId: 'r1' })
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve') store.full = true
    }
    await h.outbox.flush('p1')
    // r1's second 5xx doubled its wait; the profile's first backoff is only half of it.
    expect(h.outbox.get(opId)!.nextAttemptAt).toBe(new Date(h.clock.now() + 1_000).toISOString())
  })
})
