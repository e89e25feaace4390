import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { app } from '../../../test/electron-stand-in/app'
import { RecordingLogger } from '../core/testing/recording-logger'
import { stopBeforeQuit } from './graceful-quit'

// `before-quit` on the recording stand-in of `electron`; the clock is fake.
vi.mock('electron', () => import('../../../test/electron-stand-in/index'))

const logger = new RecordingLogger()
/** How many quits got past `before-quit`; the test stops each at `will-quit` (no process exit). */
let quits = 0
app.on('will-quit', (event: { preventDefault(): void }) => {
  quits++
  event.preventDefault()
})

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  quits = 0
  logger.lines.length = 0
})
afterEach(() => vi.useRealTimers())

// Each case leaves its listener stopped, so it lets the next cases' quits through.
describe('stopBeforeQuit', () => {
  it('holds the quit until the core has stopped, once, then quits for good', async () => {
    const stopping = deferred()
    const stop = vi.fn(() => stopping.promise)
    stopBeforeQuit(stop, logger)
    app.quit()
    app.quit()
    await vi.advanceTimersByTimeAsync(0)
    expect(stop).toHaveBeenCalledTimes(1)
    expect(quits).toBe(0)
    stopping.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(quits).toBe(1)
    app.quit()
    expect(quits).toBe(2)
    expect(stop).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(logger.lines).toEqual([])
  })

  it('quits, logging the error, when the core fails to stop', async () => {
    stopBeforeQuit(() => Promise.reject(new Error('disk full')), logger)
    app.quit()
    await vi.advanceTimersByTimeAsync(0)
    expect(quits).toBe(1)
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'The core failed to stop cleanly',
        data: { error: 'Error: disk full' }
      }
    ])
  })

  it('waits five seconds by default for a core that hangs, then quits anyway', async () => {
    stopBeforeQuit(() => new Promise<void>(() => {}), logger)
    app.quit()
    await vi.advanceTimersByTimeAsync(4999)
    expect(quits).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(quits).toBe(1)
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'Quit did not wait any longer for the core to stop',
        data: { timeoutMs: 5000 }
      }
    ])
  })

  it('waits as long as it is told', async () => {
    stopBeforeQuit(() => new Promise<void>(() => {}), logger, 200)
    app.quit()
    await vi.advanceTimersByTimeAsync(199)
    expect(quits).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(quits).toBe(1)
  })
})
