import { app } from 'electron'

/**
 * Takes the single-instance lock; a second launch focuses this one instead. Returns false when
 * another instance holds the lock (this process should quit). `KEYGATE_DISABLE_SINGLE_INSTANCE=1`
 * lets e2e tests run several apps side by side.
 */
export function claimSingleInstance(env: NodeJS.ProcessEnv, onSecondInstance: () => void): boolean {
  if (env.KEYGATE_DISABLE_SINGLE_INSTANCE === '1') return true
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', onSecondInstance)
  return true
}
