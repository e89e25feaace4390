import { describe, expect, it } from 'vitest'
import { Poller } from './poller'
import { FakeClock, settle } from './testing/fake-clock'
import { MemoryLogger } from './testing/memory-store'

interface Script {
  /** Results to answer, in order; `true` once they run out. */
  results: boolean[]
  /** Poll start times. */
  starts: number[]
  running: number
  maxRunning: number
  /** When set, each poll waits until `release()`. */
  held: (() => void)[] | null
}

function setup(options: { hold?: boolean } = {}) {
  const clock = new FakeClock()
  const scripts = new Map<string, Script>()
  const script = (id: string): Script => {
    let s = scripts.get(id)
    if (!s) {
      s = { results: [], starts: [], running: 0, maxRunning: 0, held: options.hold ? [] : null }
      scripts.set(id, s)
    }
    return s
  }
  const poller = new Poller({
    clock,
    logger: new MemoryLogger(),
    maxBackoffMs: 600_000,
    focusDebounceMs: 1000,
    focusMinAgeMs: 15_000,
    poll: async (id) => {
      const s = script(id)
      s.starts.push(clock.now() - start)
      s.running += 1
      s.maxRunning = Math.max(s.maxRunning, s.running)
      if (s.held) await new Promise<void>((resolve) => s.held!.push(resolve))
      s.running -= 1
      return s.results.shift() ?? true
    }
  })
  const start = clock.now()
  const release = async (id: string) => {
    for (const resolve of script(id).held!.splice(0)) resolve()
    await settle()
  }
  return { clock, poller, script, release }
}

describe('Poller', () => {
  it('polls a new profile at once, then every interval measured from the end of the last poll', async () => {
    const { clock, poller, script } = setup()
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    expect(script('p1').starts).toEqual([0])
    await clock.advance(59_999)
    expect(script('p1').starts).toHaveLength(1)
    await clock.advance(1 + 120_000)
    expect(script('p1').starts).toEqual([0, 60_000, 120_000, 180_000])
  })

  it('doubles the wait while a portal is unreachable, caps it at 10 minutes and resets on success', async () => {
    const { clock, poller, script } = setup()
    script('p1').results = [false, false, false, false, false, false, true]
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(3_600_000)
    const starts = script('p1').starts
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
    expect(gaps.slice(0, 8)).toEqual([
      120_000, 240_000, 480_000, 600_000, 600_000, 600_000, 60_000, 60_000
    ])
  })

  it('never backs off below a long interval', async () => {
    const { clock, poller, script } = setup()
    script('p1').results = [false]
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 3600 }])
    await clock.advance(0)
    expect(poller.delayFor('p1')).toBe(3_600_000)
  })

  it('never runs two polls for one profile at once: a second request joins the running one', async () => {
    const { clock, poller, script, release } = setup({ hold: true })
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    const joined = [poller.pollNow('p1'), poller.pollNow('p1')]
    poller.reconnected('p1')
    await clock.advance(120_000)
    expect(script('p1').starts).toHaveLength(1)
    await release('p1')
    await Promise.all(joined)
    expect(script('p1').maxRunning).toBe(1)
    await clock.advance(60_000)
    expect(script('p1').starts).toEqual([0, 180_000])
  })

  it('refreshes at once on reconnect instead of waiting out the backoff', async () => {
    const { clock, poller, script } = setup()
    script('p1').results = [false, false]
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(120_000)
    expect(script('p1').starts).toEqual([0, 120_000])
    await clock.advance(10_000)
    poller.reconnected('p1')
    await settle()
    expect(script('p1').starts).toEqual([0, 120_000, 130_000])
    expect(poller.delayFor('p1')).toBe(60_000)
  })

  it('refreshes after a change with a poll that starts after it, sharing one refresh per burst', async () => {
    const { clock, poller, script, release } = setup({ hold: true })
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    expect(script('p1').starts).toEqual([0])
    // The scheduled poll is still reading when the change lands: it may predate it.
    poller.changed('p1')
    await clock.advance(100)
    poller.changed('p1')
    await clock.advance(150)
    expect(script('p1').starts).toEqual([0])
    await release('p1')
    await settle()
    expect(script('p1').starts).toEqual([0, 250])
    // A change while that refresh runs queues exactly one more.
    poller.changed('p1')
    poller.changed('p1')
    await release('p1')
    await clock.advance(250)
    await release('p1')
    await clock.advance(1000)
    expect(script('p1').starts).toEqual([0, 250, 500])
    expect(script('p1').maxRunning).toBe(1)
  })

  it('drops the refresh of a change when the profile is removed or the poller stops', async () => {
    const { clock, poller, script } = setup()
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    poller.changed('p1')
    poller.setProfiles([])
    await clock.advance(1000)
    expect(script('p1').starts).toEqual([0])
    poller.setProfiles([{ id: 'p2', pollIntervalSec: 60 }])
    await clock.advance(0)
    poller.changed('p2')
    await poller.stop()
    await clock.advance(1000)
    expect(script('p2').starts).toEqual([1000])
    expect(clock.pending()).toBe(0)
  })

  it('debounces focus and refreshes only lists older than 15 s', async () => {
    const { clock, poller, script } = setup()
    poller.setProfiles([
      { id: 'p1', pollIntervalSec: 300 },
      { id: 'p2', pollIntervalSec: 300 }
    ])
    await clock.advance(10_000)
    poller.windowFocused()
    await clock.advance(1000)
    expect(script('p1').starts).toEqual([0])

    await clock.advance(20_000)
    poller.pollNow('p2')
    await settle()
    poller.windowFocused()
    await clock.advance(400)
    poller.windowFocused()
    await clock.advance(400)
    poller.windowFocused()
    await clock.advance(999)
    expect(script('p1').starts).toEqual([0])
    await clock.advance(1)
    expect(script('p1').starts).toEqual([0, 32_800])
    expect(script('p2').starts).toEqual([0, 31_000])
  })

  it('retimes a profile whose interval changed and stops polling removed ones', async () => {
    const { clock, poller, script } = setup()
    poller.setProfiles([
      { id: 'p1', pollIntervalSec: 600 },
      { id: 'p2', pollIntervalSec: 60 }
    ])
    await clock.advance(30_000)
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(30_000)
    expect(script('p1').starts).toEqual([0, 60_000])
    await clock.advance(600_000)
    expect(script('p2').starts).toEqual([0])
  })

  it('stops every timer and waits for running polls', async () => {
    const { clock, poller, script, release } = setup({ hold: true })
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    let stopped = false
    const stopping = poller.stop().then(() => (stopped = true))
    await settle()
    expect(stopped).toBe(false)
    await release('p1')
    await stopping
    poller.windowFocused()
    await clock.advance(3_600_000)
    expect(script('p1').starts).toEqual([0])
    expect(clock.pending()).toBe(0)
  })
})
