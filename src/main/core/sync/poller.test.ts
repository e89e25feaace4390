import { describe, expect, it } from 'vitest'
import { Poller, type PollMode, type PollOutcome } from './poller'
import { FakeClock, settle } from '../testing/fake-clock'
import { RecordingLogger } from '../testing/recording-logger'

interface Script {
  /** Outcomes to answer, in order; once they run out, what the mode asked for. */
  results: PollOutcome[]
  /** Poll start times. */
  starts: number[]
  /** The mode of each poll, in order. */
  modes: PollMode[]
  running: number
  maxRunning: number
  /** When set, each poll waits until `release()`. */
  held: (() => void)[] | null
}

function setup(
  options: { hold?: boolean; fullReadEvery?: number; fullReadMaxAgeMs?: number } = {}
) {
  const clock = new FakeClock()
  const scripts = new Map<string, Script>()
  const script = (id: string): Script => {
    let s = scripts.get(id)
    if (!s) {
      s = {
        results: [],
        starts: [],
        modes: [],
        running: 0,
        maxRunning: 0,
        held: options.hold ? [] : null
      }
      scripts.set(id, s)
    }
    return s
  }
  const poller = new Poller({
    clock,
    logger: new RecordingLogger(),
    maxBackoffMs: 600_000,
    focusDebounceMs: 1000,
    focusMinAgeMs: 15_000,
    fullReadEvery: options.fullReadEvery,
    fullReadMaxAgeMs: options.fullReadMaxAgeMs,
    poll: async (id, mode) => {
      const s = script(id)
      s.starts.push(clock.now() - start)
      s.modes.push(mode)
      s.running += 1
      s.maxRunning = Math.max(s.maxRunning, s.running)
      if (s.held) await new Promise<void>((resolve) => s.held!.push(resolve))
      s.running -= 1
      return s.results.shift() ?? (mode === 'full' ? 'full' : 'probed')
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
    script('p1').results = ['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'full']
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
    script('p1').results = ['failed']
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
    script('p1').results = ['failed', 'failed']
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

  it('waits out the change delay again after a refresh that outlasted it', async () => {
    const { clock, poller, script, release } = setup({ hold: true })
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    await release('p1')
    poller.changed('p1')
    await clock.advance(250)
    expect(script('p1').starts).toEqual([0, 250])
    // A change while the refresh reads, which then takes longer than the delay.
    poller.changed('p1')
    await clock.advance(1000)
    expect(script('p1').starts).toEqual([0, 250])
    await release('p1')
    await clock.advance(249)
    expect(script('p1').starts).toEqual([0, 250])
    await clock.advance(1)
    expect(script('p1').starts).toEqual([0, 250, 1500])
    await release('p1')
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

  it('probes on schedule and reads in full every 5th poll, or when the last full read is 5 min old', async () => {
    const { clock, poller, script } = setup()
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(600_000)
    expect(script('p1').modes).toEqual([
      'full',
      'probe',
      'probe',
      'probe',
      'probe',
      'full',
      'probe',
      'probe',
      'probe',
      'probe',
      'full'
    ])

    const slow = setup({ fullReadEvery: 100 })
    slow.poller.setProfiles([{ id: 'p1', pollIntervalSec: 90 }])
    await slow.clock.advance(450_000)
    expect(slow.script('p1').starts).toEqual([0, 90_000, 180_000, 270_000, 360_000, 450_000])
    expect(slow.script('p1').modes).toEqual(['full', 'probe', 'probe', 'probe', 'full', 'probe'])
  })

  it('counts a probe that turned into a full read as one, and never probes with fullReadEvery 1', async () => {
    const { clock, poller, script } = setup({ fullReadEvery: 3 })
    script('p1').results = ['full', 'probed', 'full']
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(300_000)
    // The probe at 120 s found a change and read in full: the count starts again from there.
    expect(script('p1').modes).toEqual(['full', 'probe', 'probe', 'probe', 'probe', 'full'])

    const never = setup({ fullReadEvery: 1 })
    never.poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await never.clock.advance(300_000)
    expect(never.script('p1').modes).toEqual(['full', 'full', 'full', 'full', 'full', 'full'])
  })

  it('reads in full when asked during a probe, once the probe ends', async () => {
    const { clock, poller, script, release } = setup({ hold: true })
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(0)
    await release('p1')
    await clock.advance(60_000)
    expect(script('p1').modes).toEqual(['full', 'probe'])

    const asked = [poller.pollNow('p1'), poller.pollNow('p1')]
    await settle()
    expect(script('p1').modes).toEqual(['full', 'probe'])
    await release('p1')
    expect(script('p1').modes).toEqual(['full', 'probe', 'full'])
    expect(script('p1').maxRunning).toBe(1)
    await release('p1')
    await Promise.all(asked)

    await clock.advance(60_000)
    expect(script('p1').starts).toEqual([0, 60_000, 60_000, 120_000])
    expect(script('p1').modes).toEqual(['full', 'probe', 'full', 'probe'])
    await release('p1')
  })

  it('reads in full on focus when the last full read is old, however recent the last probe', async () => {
    const { clock, poller, script } = setup()
    poller.setProfiles([{ id: 'p1', pollIntervalSec: 60 }])
    await clock.advance(65_000)
    expect(script('p1').modes).toEqual(['full', 'probe'])
    poller.windowFocused()
    await clock.advance(1000)
    expect(script('p1').starts).toEqual([0, 60_000, 66_000])
    expect(script('p1').modes).toEqual(['full', 'probe', 'full'])

    await clock.advance(10_000)
    poller.windowFocused()
    await clock.advance(1000)
    expect(script('p1').starts).toHaveLength(3)
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
