import { describe, expect, it } from 'vitest'
import { FakeClock } from '../testing/fake-clock'
import { MAX_TIMER_MS, Scheduler } from './scheduler'

function setup(wakeAt: () => number | null) {
  const clock = new FakeClock()
  const wakes: number[] = []
  const passes: [string, boolean][] = []
  let again = 0
  const scheduler = new Scheduler({
    clock,
    logger: undefined,
    maxParallelProfiles: 1,
    pass: async (profileId, ignoreBackoff) => {
      passes.push([profileId, ignoreBackoff])
      await Promise.resolve()
      return again-- > 0
    },
    nextWakeAt: wakeAt,
    wake: async () => {
      wakes.push(clock.now())
    }
  })
  return { clock, scheduler, wakes, passes, runAgain: (n: number) => (again = n) }
}

describe('Scheduler', () => {
  it('reaches a wake-up further than a timer holds in steps, never early', async () => {
    let at: number | null = null
    const t = setup(() => at)
    at = t.clock.now() + MAX_TIMER_MS + 1_000
    t.scheduler.start()
    t.scheduler.schedule()
    await t.clock.advance(MAX_TIMER_MS)
    expect(t.wakes).toEqual([])
    await t.clock.advance(1_000)
    expect(t.wakes).toEqual([at])
    await t.scheduler.stop()
  })

  it('sets no timer before start, nor after stop', async () => {
    const t = setup(() => 0)
    t.scheduler.schedule()
    await t.clock.advance(1)
    t.scheduler.start()
    await t.scheduler.stop()
    t.scheduler.schedule()
    await t.clock.advance(1)
    expect(t.wakes).toEqual([])
  })

  it('joins asks made during a flush into one more flush after it, keeping ignoreBackoff', async () => {
    const t = setup(() => null)
    const first = t.scheduler.flushProfile('p1', false)
    const second = t.scheduler.flushProfile('p1', false)
    const third = t.scheduler.flushProfile('p1', true)
    await Promise.all([first, second, third])
    expect(t.passes).toEqual([
      ['p1', false],
      ['p1', true]
    ])
  })

  it('runs a pass again while it reports an unblocked action, without ignoreBackoff', async () => {
    const t = setup(() => null)
    t.runAgain(2)
    await t.scheduler.flushProfile('p1', true)
    expect(t.passes).toEqual([
      ['p1', true],
      ['p1', false],
      ['p1', false]
    ])
  })
})
