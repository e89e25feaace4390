import { describe, expect, it } from 'vitest'
import { Semaphore } from './limiter'

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
