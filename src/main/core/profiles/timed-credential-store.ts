import { Emitter } from '../../../shared/emitter'
import { AppFailure } from '../../../shared/result'
import type { Clock, CredentialStore, Logger } from '../ports'

export interface TimedCredentialStore extends CredentialStore {
  /** Called when the keychain answers again after a call that failed or got no answer. */
  onRecovered(listener: () => void): () => void
}

/**
 * The keychain with a deadline on every call: one left waiting (an unlock prompt nobody
 * answers) fails as KEYCHAIN_UNAVAILABLE after `timeoutMs` instead of hanging whatever waits on
 * it. The first answer after such a failure is reported, so parked work can resume.
 */
export function createTimedCredentialStore(
  inner: CredentialStore,
  clock: Clock,
  logger: Logger,
  timeoutMs = 5_000
): TimedCredentialStore {
  const recovered = new Emitter<void>((error) =>
    logger.error('A keychain recovery listener failed', { error })
  )
  let failing = false

  const answered = (): void => {
    if (!failing) return
    failing = false
    recovered.emit()
  }
  const timed = <T>(call: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const cancel = clock.setTimeout(() => {
        failing = true
        reject(
          new AppFailure(
            'KEYCHAIN_UNAVAILABLE',
            `The keychain did not answer within ${timeoutMs / 1000} s: is it locked? Unlock it (or answer its prompt) and Keygate carries on.`
          )
        )
      }, timeoutMs)
      call().then(
        (value) => {
          cancel()
          resolve(value)
          answered()
        },
        (e: unknown) => {
          cancel()
          if (e instanceof AppFailure && e.error.code === 'KEYCHAIN_UNAVAILABLE') failing = true
          reject(e)
        }
      )
    })

  return {
    status: () => timed(() => inner.status()),
    get: (account) => timed(() => inner.get(account)),
    set: (account, secret) => timed(() => inner.set(account, secret)),
    delete: (account) => timed(() => inner.delete(account)),
    onRecovered: (listener) => recovered.on(listener)
  }
}
