import { buildKeygateApi } from '../../../../shared/keygate-api'
import {
  invokeChannels,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResults,
  type PushChannel,
  type PushEvents
} from '../../../../shared/ipc'
import type { Result } from '../../../../shared/result'

export type FakeHandlers = {
  [C in InvokeChannel]?: (args: InvokeArgs<C>) => Promise<Result<InvokeResults[C]>>
}

export interface FakeKeygate {
  /** Every call the renderer made, oldest first. */
  calls: { channel: InvokeChannel; args: unknown }[]
  push<E extends PushChannel>(event: E, payload: PushEvents[E]): void
}

/**
 * Installs `window.keygate`, built by the same function as the preload's, answering from
 * `handlers`; a channel without one answers an error, so an unexpected call shows in the test.
 */
export function installFakeKeygate(handlers: FakeHandlers): FakeKeygate {
  const calls: FakeKeygate['calls'] = []
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>()
  window.keygate = buildKeygateApi(
    {
      invoke: async (channel, args) => {
        calls.push({ channel, args })
        const handler = handlers[channel] as
          ((args: unknown) => Promise<Result<unknown>>) | undefined
        if (!handler) {
          return {
            ok: false,
            error: { code: 'INTERNAL', message: `${channel} is not faked`, retryable: false }
          }
        }
        return handler(args)
      },
      subscribe: (event, listener) => {
        const set = listeners.get(event) ?? new Set()
        set.add(listener)
        listeners.set(event, set)
        return () => set.delete(listener)
      }
    },
    invokeChannels
  )
  return {
    calls,
    push: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload)
    }
  }
}
