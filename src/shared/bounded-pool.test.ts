import { describe, expect, it } from 'vitest'
import { mapBounded } from './bounded-pool'

/** A task whose end the test decides. */
function gate<T>() {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return { promise, open }
}

describe('mapBounded', () => {
  it('keeps the input order in its results', async () => {
    const gates = [gate<string>(), gate<string>(), gate<string>()]
    const mapped = mapBounded(
      [0, 1, 2],
      3,
      (i) => (gates[i] as ReturnType<typeof gate<string>>).promise
    )
    gates[2]?.open('c')
    gates[0]?.open('a')
    gates[1]?.open('b')
    expect(await mapped).toEqual(['a', 'b', 'c'])
  })

  it('never has more than `limit` calls in flight, and starts them in input order', async () => {
    let inFlight = 0
    let most = 0
    const started: number[] = []
    await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n)
      inFlight += 1
      most = Math.max(most, inFlight)
      await Promise.resolve()
      await Promise.resolve()
      inFlight -= 1
      return n
    })
    expect(most).toBe(3)
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('answers an empty list without calling, and treats a limit below 1 as 1', async () => {
    let calls = 0
    expect(await mapBounded([], 4, async () => (calls += 1))).toEqual([])
    expect(await mapBounded(['a', 'b'], 0, async (s) => s.toUpperCase())).toEqual(['A', 'B'])
    expect(calls).toBe(0)
  })

  it('rejects with the first failure', async () => {
    await expect(
      mapBounded([1, 2], 2, async (n) => {
        if (n === 2) throw new Error('two')
        return n
      })
    ).rejects.toThrow('two')
  })
})
