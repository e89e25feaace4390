import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { until } from '../testing/fake-clock'
import { FailOnceStore } from '../testing/fake-store'
import { approve, createHarness } from './testing/harness'

/** A store file a process killed while r1's approve was on the wire left (r1 `sending`). */
async function crashedWithApproveOnTheWire() {
  const dead = createHarness({ profiles: { p1: { pending: ['r1'] } } })
  dead.portal().hold('approve', 'r1')
  dead.outbox.enqueue(approve('r1'))
  void dead.outbox.flush()
  await until(() => dead.store.get<OutboxItem[]>('items')?.[0]?.state === 'sending')
  const store = new FailOnceStore()
  for (const [key, value] of dead.store.data) store.data.set(key, value)
  return { store, clock: dead.clock }
}

describe('Outbox start() and stop()', () => {
  it('start() arms the wake timer once recovery is done: an action a previous process queued is sent', async () => {
    const before = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const { opId } = before.outbox.enqueue(approve('r1'))
    const h = createHarness({
      store: before.store.clone(),
      clock: before.clock,
      profiles: { p1: { pending: ['r1'] } }
    })
    h.outbox.start()
    await h.clock.advance(0)
    await until(() => h.outbox.get(opId)!.state === 'done')
    await h.outbox.stop()
  })

  it('start() logs a recovery the disk refused, the only trace of it until the next flush', async () => {
    const { store, clock } = await crashedWithApproveOnTheWire()
    const h = createHarness({ store, clock, profiles: { p1: { approved: ['r1'] } } })
    store.failNext = true
    h.outbox.start()
    await until(() => h.logs.some((line) => line.startsWith('Outbox recovery failed')))
    expect(h.logs.join('\n')).toMatch(/Outbox recovery failed.*no space left on device/)
    await h.outbox.flush()
    expect(h.byRequest('r1')).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' }
    })
    await h.outbox.stop()
  })

  it('without a logger, a recovery the disk refused at start() is tried again by the next flush', async () => {
    const { store, clock } = await crashedWithApproveOnTheWire()
    const h = createHarness({
      store,
      clock,
      profiles: { p1: { approved: ['r1'] } },
      deps: { logger: undefined }
    })
    store.failNext = true
    h.outbox.start()
    await h.clock.advance(0)
    await h.outbox.flush()
    expect(h.byRequest('r1').state).toBe('done')
    await h.outbox.stop()
  })

  it('stop() during a flush lets the call on the wire finish and sends nothing more', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] } },
      deps: { concurrency: 1 }
    })
    h.outbox.enqueueMany([approve('r1'), approve('r2'), approve('r3')])
    const release = h.portal().hold('approve', 'r1')
    const flushing = h.outbox.flush()
    await until(() => h.portal().count('approve') === 1)
    const stopping = h.outbox.stop()
    release()
    await flushing
    await stopping
    expect([...h.portal().approvals.keys()]).toEqual(['r1'])
    expect(h.byRequest('r1').state).toBe('done')
  })

  it('after stop(), a flush sends nothing and leaves the actions queued', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    await h.outbox.stop()
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    await h.outbox.flush('p1', { ignoreBackoff: true })
    expect(h.portal().calls).toHaveLength(0)
    expect(h.outbox.get(opId)!.state).toBe('queued')
  })

  it('a started outbox sends the actions re-queued after their secret was fixed on its own', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('getRequest', 'auth')
    h.outbox.start()
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.clock.advance(0)
    await until(() => h.outbox.get(opId)!.state === 'needs-auth')
    expect(h.outbox.requeueProfile('p1')).toBe(1)
    await h.clock.advance(0)
    await until(() => h.outbox.get(opId)!.state === 'done')
    await h.outbox.stop()
  })

  it('dropping a profile with the only waiting action leaves no wake-up timer behind', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.start()
    h.outbox.enqueue(approve('r1'), { holdMs: 5_000 })
    expect(h.clock.pending()).toBe(1)
    expect(h.outbox.dropProfile('p1')).toBe(1)
    expect(h.clock.pending()).toBe(0)
    await h.outbox.stop()
  })
})
