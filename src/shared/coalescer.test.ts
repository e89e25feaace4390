import { describe, expect, it } from 'vitest'
import { Coalescer } from './coalescer'

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void
  let reject!: (e: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('Coalescer', () => {
  it('starts a request at once when nothing runs', () => {
    const coalescer = new Coalescer()
    const started: string[] = []
    coalescer.request(() => started.push('now'))
    expect(started).toEqual(['now'])
  })

  it('turns every request during a run into one follow-up, the last asked, after the run', async () => {
    const coalescer = new Coalescer()
    const gate = deferred()
    const started: string[] = []
    const running = coalescer.run(() => gate.promise)
    coalescer.request(() => started.push('first'))
    coalescer.request(() => started.push('second'))
    coalescer.request(() => started.push('third'))
    expect(started).toEqual([])
    gate.resolve()
    await running
    expect(started).toEqual(['third'])
    coalescer.request(() => started.push('after'))
    expect(started).toEqual(['third', 'after'])
  })

  it('waits for the latest run and tells a superseded one it is stale', async () => {
    const coalescer = new Coalescer()
    const older = deferred()
    const newer = deferred()
    const staleness: boolean[] = []
    const started: string[] = []
    const first = coalescer.run(async (isLatest) => {
      await older.promise
      staleness.push(isLatest())
    })
    const second = coalescer.run(async (isLatest) => {
      await newer.promise
      staleness.push(isLatest())
    })
    coalescer.request(() => started.push('follow-up'))
    older.resolve()
    await first
    expect(staleness).toEqual([false])
    expect(started).toEqual([])
    newer.resolve()
    await second
    expect(staleness).toEqual([false, true])
    expect(started).toEqual(['follow-up'])
  })

  it('still starts the follow-up when the run fails, and hands the failure to its caller', async () => {
    const coalescer = new Coalescer()
    const gate = deferred()
    const started: string[] = []
    const running = coalescer.run(() => gate.promise)
    coalescer.request(() => started.push('follow-up'))
    gate.reject(new Error('portal unreachable'))
    await expect(running).rejects.toThrow('portal unreachable')
    expect(started).toEqual(['follow-up'])
  })
})
