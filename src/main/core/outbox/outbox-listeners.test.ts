import { describe, expect, it } from 'vitest'
import { approve, createHarness } from './testing/harness'

const DAY = 24 * 60 * 60_000

describe('Outbox listeners', () => {
  it('a listener that throws is logged by what it listens to, and the others still hear', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    const heard: string[] = []
    h.outbox.onChange(() => {
      throw new Error('change broke')
    })
    h.outbox.onChange(() => heard.push('change'))
    h.outbox.onCredential(() => {
      throw new Error('credential broke')
    })
    h.outbox.onSettled(() => {
      throw new Error('problem broke')
    })
    // r2 is gone from the portal: a conflict, so a problem to report.
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    await h.outbox.flush()

    expect(h.logs).toEqual(
      expect.arrayContaining([
        'Outbox change listener failed {"error":"Error: change broke"}',
        'Outbox credential listener failed {"error":"Error: credential broke"}',
        'Outbox problem listener failed {"error":"Error: problem broke"}'
      ])
    )
    expect(heard.length).toBeGreaterThan(0)
    expect(h.credentials).toHaveLength(1)
    expect(h.problems).toHaveLength(1)
  })

  it('without a logger, a listener that throws fails no write and pruning still runs', async () => {
    const first = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    first.outbox.enqueue(approve('r1'))
    await first.outbox.flush()
    first.clock.skip(8 * DAY)

    const h = createHarness({ store: first.store, clock: first.clock, deps: { logger: undefined } })
    h.outbox.onChange(() => {
      throw new Error('change broke')
    })
    await h.outbox.recover()
    expect(h.outbox.list()).toEqual([])
    const item = h.outbox.enqueue(approve('r2'))
    expect(h.outbox.list()).toEqual([item])
  })
})
