import { describe, expect, it } from 'vitest'
import type { ProfileSummary } from '../../../shared/domain'
import { createLogger } from '../logging/logger'
import { FakeClock } from '../testing/fake-clock'
import { testProfile } from '../../../shared/testing/profile'
import { createSummaryPusher } from './summary-pusher'

const summary = (pendingCount: number | null): ProfileSummary => ({
  ...testProfile(),
  capabilities: { decline: 'deletes', approve: 'returns-credential', idType: 'string' },
  hasSecret: true,
  pendingCount,
  connectivity: { state: 'online', since: null, lastSuccessAt: null, lastError: null }
})

function setup() {
  const clock = new FakeClock()
  const state = { count: 1 as number | null, builds: 0 }
  const pushed: ProfileSummary[][] = []
  const pusher = createSummaryPusher({
    build: async () => {
      state.builds += 1
      return [summary(state.count)]
    },
    push: (summaries) => pushed.push(summaries),
    clock,
    logger: createLogger(() => {}),
    delayMs: 100
  })
  return { clock, state, pushed, pusher }
}

describe('summary pusher', () => {
  it('coalesces changes within the delay into one push, and skips summaries already pushed', async () => {
    const { clock, state, pushed, pusher } = setup()
    pusher.schedule()
    pusher.schedule()
    await clock.advance(50)
    pusher.schedule()
    expect(pushed).toEqual([])
    await clock.advance(50)
    expect(pushed.map((s) => s[0]!.pendingCount)).toEqual([1])
    expect(state.builds).toBe(1)

    pusher.schedule()
    await clock.advance(100)
    expect(state.builds).toBe(2)
    expect(pushed).toHaveLength(1)

    state.count = 4
    pusher.schedule()
    await clock.advance(100)
    expect(pushed.map((s) => s[0]!.pendingCount)).toEqual([1, 4])
  })

  it('pushes nothing once stopped', async () => {
    const { clock, pushed, pusher } = setup()
    pusher.schedule()
    pusher.stop()
    pusher.schedule()
    await clock.advance(1000)
    expect(pushed).toEqual([])
    expect(clock.pending()).toBe(0)
  })
})
