import { describe, expect, it } from 'vitest'
import { SeenSet } from './seen-set'
import { FakeClock } from '../testing/fake-clock'
import { FakeStore } from '../testing/fake-store'
import { RecordingLogger } from '../testing/recording-logger'

function setup(store = new FakeStore(), retain?: number) {
  const clock = new FakeClock()
  const seen = new SeenSet({
    store,
    clock,
    logger: new RecordingLogger(),
    flushDelayMs: 2000,
    retain
  })
  return { store, clock, seen }
}

describe('SeenSet', () => {
  it('seeds silently from the first list of a profile, then reports only new ids', () => {
    const { seen } = setup()
    expect(seen.update('p1', ['a', 'b', 'c'])).toEqual({ newIds: [], seeded: true })
    expect(seen.update('p1', ['d', 'a', 'b', 'c', 'e'])).toEqual({
      newIds: ['d', 'e'],
      seeded: false
    })
    expect(seen.update('p1', ['d', 'a', 'b', 'c', 'e'])).toEqual({ newIds: [], seeded: false })
  })

  it('seeds from an empty first list, so the first request after it is new', () => {
    const { seen } = setup()
    expect(seen.update('p1', []).seeded).toBe(true)
    expect(seen.update('p1', ['a']).newIds).toEqual(['a'])
  })

  it('does not announce again after a restart on the same store', () => {
    const { seen, store } = setup()
    seen.update('p1', ['a'])
    seen.update('p1', ['a', 'b'])
    seen.flush()
    const restarted = setup(store).seen
    expect(restarted.update('p1', ['a', 'b'])).toEqual({ newIds: [], seeded: false })
    expect(restarted.update('p1', ['a', 'b', 'c']).newIds).toEqual(['c'])
  })

  it('writes only when an id was added, batched', async () => {
    const { seen, store, clock } = setup()
    seen.update('p1', ['a'])
    seen.update('p2', ['x'])
    await clock.advance(2000)
    expect(store.writes).toBe(1)
    seen.update('p1', ['a'])
    seen.update('p1', [])
    await clock.advance(2000)
    expect(store.writes).toBe(1)
    seen.update('p1', ['b'])
    await clock.advance(2000)
    expect(store.writes).toBe(2)
  })

  it('keeps ids that left the list within the margin, so a glitch does not re-announce', () => {
    const { seen } = setup(new FakeStore(), 3)
    seen.update('p1', ['a', 'b', 'c'])
    seen.update('p1', [])
    expect(seen.update('p1', ['a', 'b', 'c']).newIds).toEqual([])
    seen.update('p1', ['d', 'e', 'f', 'g'])
    expect(seen.update('p1', ['h']).newIds).toEqual(['h'])
    expect(seen.update('p1', ['a', 'e', 'h']).newIds).toEqual(['a'])
  })

  it('forgets a removed profile, which then seeds again', () => {
    const { seen } = setup()
    seen.update('p1', ['a'])
    seen.remove('p1')
    expect(seen.has('p1')).toBe(false)
    expect(seen.update('p1', ['a', 'b']).seeded).toBe(true)
  })
})
