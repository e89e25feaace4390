import {
  invokeChannels,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResults,
  type PushChannel,
  type PushEvents
} from '../../../../shared/ipc'
import { buildKeygateApi } from '../../../../shared/keygate-api'
import type { Result } from '../../../../shared/result'

type Answer<C extends InvokeChannel> = (
  args: InvokeArgs<C>
) => Result<InvokeResults[C]> | Promise<Result<InvokeResults[C]>>

export type FakeHandlers = { [C in InvokeChannel]?: Answer<C> }

/**
 * `window.keygate` for renderer tests (happy-dom), built by the same function as the preload's:
 * records every call, answers from per-channel handlers (a channel without one answers an
 * INTERNAL error, so an unexpected call shows in the test) and delivers pushes.
 */
export function installFakeKeygate(handlers: FakeHandlers = {}) {
  const calls: { channel: InvokeChannel; args: unknown }[] = []
  const answers = new Map<InvokeChannel, (args: unknown) => unknown>(
    Object.entries(handlers) as [InvokeChannel, (args: unknown) => unknown][]
  )
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>()
  window.keygate = buildKeygateApi(
    {
      invoke: async (channel, args) => {
        calls.push({ channel, args })
        const answer = answers.get(channel)
        if (!answer) {
          return {
            ok: false,
            error: { code: 'INTERNAL', message: `${channel} is not faked`, retryable: false }
          }
        }
        return (await answer(args)) as Result<never>
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
    /** Every call the renderer made, oldest first. */
    calls,
    callsTo: (channel: InvokeChannel) =>
      calls.filter((entry) => entry.channel === channel).map((entry) => entry.args),
    answer<C extends InvokeChannel>(channel: C, respond: Answer<C>): void {
      answers.set(channel, respond as (args: unknown) => unknown)
    },
    /** Answers `channel` with `value` every time. */
    succeed<C extends InvokeChannel>(channel: C, value: InvokeResults[C]): void {
      answers.set(channel, () => ({ ok: true, value }))
    },
    /** Answers `channel` with an OFFLINE error carrying `message`, every time. */
    fail(channel: InvokeChannel, message: string): void {
      answers.set(channel, () => ({
        ok: false,
        error: { code: 'OFFLINE', message, retryable: true }
      }))
    },
    push<E extends PushChannel>(event: E, payload: PushEvents[E]): void {
      for (const listener of listeners.get(event) ?? []) listener(payload)
    }
  }
}

export type FakeKeygate = ReturnType<typeof installFakeKeygate>
