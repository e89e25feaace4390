import { app } from 'electron'
import type { Logger } from '../core/ports'

/**
 * Holds the first quit until `stop()` settles (timers stopped, stores flushed), bounded by
 * `timeoutMs` so a hung network call cannot keep the app alive, then quits for real.
 */
export function stopBeforeQuit(stop: () => Promise<void>, logger: Logger, timeoutMs = 5000): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running'
  app.on('before-quit', (event) => {
    if (state === 'stopped') return
    event.preventDefault()
    if (state === 'stopping') return
    state = 'stopping'
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn('Quit did not wait any longer for the core to stop', { timeoutMs })
        resolve()
      }, timeoutMs)
    })
    Promise.race([stop(), deadline])
      .catch((error: unknown) => {
        logger.error('The core failed to stop cleanly', { error: String(error) })
      })
      .finally(() => {
        clearTimeout(timer)
        state = 'stopped'
        app.quit()
      })
  })
}
