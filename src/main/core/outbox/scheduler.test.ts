import { describe, expect, it } from 'vitest'
import type { Logger } from '../ports'
import { FakeClock, until } from '../testing/fake-clock'
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

  it('sets no timer when nothing is due', async () => {
    const t = setup(() => null)
    t.scheduler.start()
    t.scheduler.schedule()
    expect(t.clock.pending()).toBe(0)
    await t.clock.advance(60_000)
    expect(t.wakes).toEqual([])
    await t.scheduler.stop()
  })

  it('never asks for a timer longer than Node holds (2^31-1 ms, or it fires at once)', () => {
    const clock = new FakeClock()
    const delays: number[] = []
    const setTimeout = clock.setTimeout.bind(clock)
    clock.setTimeout = (fn, ms) => {
      delays.push(ms)
      return setTimeout(fn, ms)
    }
    const scheduler = new Scheduler({
      clock,
      logger: undefined,
      maxParallelProfiles: 1,
      pass: async () => false,
      nextWakeAt: () => clock.now() + 2 ** 32,
      wake: async () => undefined
    })
    scheduler.start()
    scheduler.schedule()
    expect(delays).toEqual([2_147_483_647])
  })

  it('logs a wake-up whose flush failed, and survives one without a logger', async () => {
    const clock = new FakeClock()
    const logs: string[] = []
    const logger: Logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (message, data) => logs.push(`${message} ${JSON.stringify(data)}`)
    }
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      for (const log of [logger, undefined]) {
        const scheduler = new Scheduler({
          clock,
          logger: log,
          maxParallelProfiles: 1,
          pass: async () => false,
          nextWakeAt: () => clock.now(),
          wake: () => Promise.reject(new Error('disk full'))
        })
        scheduler.start()
        scheduler.schedule()
        await clock.advance(0)
        await scheduler.stop()
      }
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
    expect(logs).toEqual(['Scheduled outbox flush failed {"error":"Error: disk full"}'])
    expect(unhandled).toEqual([])
  })

  it('is closed once stopped, and stop() waits for the running flush, even a failing one', async () => {
    const clock = new FakeClock()
    let release!: () => void
    const scheduler = new Scheduler({
      clock,
      logger: undefined,
      maxParallelProfiles: 1,
      pass: () =>
        new Promise<boolean>((_, reject) => {
          release = () => reject(new Error('disk full'))
        }),
      nextWakeAt: () => null,
      wake: async () => undefined
    })
    expect(scheduler.closed).toBe(false)
    const flushing = scheduler.flushProfile('p1', false)
    flushing.catch(() => undefined)
    await until(() => release !== undefined)
    let stopped = false
    const stopping = scheduler.stop().then(() => (stopped = true))
    expect(scheduler.closed).toBe(true)
    await clock.advance(0)
    expect(stopped).toBe(false)
    release()
    await stopping
    expect(stopped).toBe(true)
    await expect(flushing).rejects.toThrow('disk full')
  })
})
