import { afterEach, describe, expect, it, vi } from 'vitest'
import { MAX_TIMER_MS, systemClock } from './ports'

afterEach(() => {
  vi.useRealTimers()
})

describe('systemClock.setTimeout', () => {
  it('waits out a delay beyond 2^31-1 ms in steps instead of firing after 1 ms', () => {
    vi.useFakeTimers()
    const fired = vi.fn()
    systemClock.setTimeout(fired, MAX_TIMER_MS * 2 + 10)
    vi.advanceTimersByTime(1_000)
    expect(fired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(MAX_TIMER_MS * 2 - 1_000)
    expect(fired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(10)
    expect(fired).toHaveBeenCalledTimes(1)
  })

  it('can be cancelled in any step, and treats NaN and negative delays as 0', () => {
    vi.useFakeTimers()
    const cancelled = vi.fn()
    const cancel = systemClock.setTimeout(cancelled, MAX_TIMER_MS + 5)
    vi.advanceTimersByTime(MAX_TIMER_MS + 1)
    cancel()
    vi.advanceTimersByTime(MAX_TIMER_MS)
    expect(cancelled).not.toHaveBeenCalled()
    const soon = vi.fn()
    systemClock.setTimeout(soon, Number.NaN)
    systemClock.setTimeout(soon, -5)
    vi.advanceTimersByTime(0)
    expect(soon).toHaveBeenCalledTimes(2)
  })
})
