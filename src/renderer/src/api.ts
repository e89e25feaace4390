import type { KeygateApi, PushChannel, PushEvents } from '../../shared/ipc'
import type { AppError, Result } from '../../shared/result'

/** The one module that reads `window.keygate`; everything else goes through `call` and `onPush`. */
function bridge(): KeygateApi | null {
  return typeof window.keygate === 'object' && window.keygate !== null ? window.keygate : null
}

const disconnected: AppError = {
  code: 'INTERNAL',
  message: 'Keygate’s core is not connected to this window. Restart Keygate.',
  retryable: false
}

/**
 * Runs one contract call. A broken bridge (missing binding, rejected promise) becomes a readable
 * AppError too, so components only ever handle `Result`.
 */
export async function call<T>(run: (api: KeygateApi) => Promise<Result<T>>): Promise<Result<T>> {
  const api = bridge()
  if (!api) return { ok: false, error: disconnected }
  try {
    return await run(api)
  } catch (cause) {
    // First line only: a bridge failure must never put a stack trace in front of the user.
    const first = cause instanceof Error ? (cause.message.split('\n')[0] ?? '').slice(0, 160) : ''
    const detail = first ? ` (${first})` : ''
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Keygate’s core did not answer${detail}. Try again.`,
        retryable: true
      }
    }
  }
}

/** Subscribes to one push event; returns the unsubscribe function. */
export function onPush<E extends PushChannel>(
  event: E,
  listener: (payload: PushEvents[E]) => void
): () => void {
  const api = bridge()
  if (!api) return () => {}
  return api.on(event, listener)
}
