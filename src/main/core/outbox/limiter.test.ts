import { describe, expect, it } from 'vitest'
import { runPool, Semaphore } from './limiter'

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('Semaphore', () => {
  it('lets `size` holders in at once and serves the others in arrival order', async () => {
    const semaphore = new Semaphore(2)
    const entered: string[] = []
    const enter = (name: string) => semaphore.acquire().then(() => entered.push(name))
    void enter('a')
    void enter('b')
    void enter('c')
    void enter('d')
    await settle()
    expect(entered).toEqual(['a', 'b'])
    semaphore.release()
    await settle()
    expect(entered).toEqual(['a', 'b', 'c'])
    semaphore.release()
    await settle()
    expect(entered).toEqual(['a', 'b', 'c', 'd'])
  })

  it('gives a permit released with nobody waiting to the next holder', async () => {
    const semaphore = new Semaphore(1)
    await semaphore.acquire()
    semaphore.release()
    let entered = false
    void semaphore.acquire().then(() => (entered = true))
    await settle()
    expect(entered).toBe(true)
    let second = false
    void semaphore.acquire().then(() => (second = true))
    await settle()
    expect(second).toBe(false)
  })
})

describe('runPool', () => {
  it('runs every item once, in order, with at most `limit` in flight', async () => {
    let inFlight = 0
    let most = 0
    const started: number[] = []
    await runPool([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item)
      inFlight += 1
      most = Math.max(most, inFlight)
      await settle()
      inFlight -= 1
    })
    expect(started).toEqual([1, 2, 3, 4, 5])
    expect(most).toBe(2)
  })

  it('runs all at once when the limit exceeds the items, and nothing for no items', async () => {
    let inFlight = 0
    let most = 0
    await runPool(['a', 'b'], 8, async () => {
      inFlight += 1
      most = Math.max(most, inFlight)
      await settle()
      inFlight -= 1
    })
    expect(most).toBe(2)
    let calls = 0
    await runPool([], 4, async () => {
      calls += 1
    })
    expect(calls).toBe(0)
  })
})
