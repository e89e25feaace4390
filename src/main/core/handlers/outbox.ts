import type { Outbox } from '../outbox/outbox'
import type { FlushOptions } from '../outbox/outbox-types'
import type { HandlersFor } from './handler-types'

export interface OutboxHandlerDeps {
  outbox: Pick<Outbox, 'list' | 'retry' | 'get' | 'cancel'>
  /** Starts a flush in the background; never throws. */
  flush: (profileId?: string, options?: FlushOptions) => void
}

/** `outbox:*`: the queue as the outbox panel shows it, and the user's Retry and Cancel. */
export function outboxHandlers(
  deps: OutboxHandlerDeps
): HandlersFor<'outbox:list' | 'outbox:retry' | 'outbox:cancel'> {
  const { outbox } = deps
  return {
    'outbox:list': async () => outbox.list(),
    'outbox:retry': async ({ opId }) => {
      outbox.retry(opId)
      const item = outbox.get(opId)
      if (item) deps.flush(item.profileId, { ignoreBackoff: true })
      return null
    },
    'outbox:cancel': async ({ opId }) => {
      outbox.cancel(opId)
      return null
    }
  }
}
