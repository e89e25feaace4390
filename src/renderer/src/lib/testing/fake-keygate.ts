import type { InvokeChannel, InvokeResults, PushChannel, PushEvents } from '../../../../shared/ipc'
import { invokeChannels } from '../../../../shared/ipc'
import { buildKeygateApi } from '../../../../shared/keygate-api'
import type { Result } from '../../../../shared/result'

type Answer<C extends InvokeChannel> = (
  args: unknown
) => Result<InvokeResults[C]> | Promise<Result<InvokeResults[C]>>

/**
 * `window.keygate` for renderer tests (happy-dom), built like the preload's: records every call, answers from
 * per-channel handlers (an unanswered channel is an INTERNAL error) and delivers pushes.
 */
export function installFakeKeygate() {
  const calls: { channel: InvokeChannel; args: unknown }[] = []
  const answers = new Map<InvokeChannel, Answer<InvokeChannel>>()
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>()
  const api = buildKeygateApi(
    {
      invoke: async (channel, args) => {
        calls.push({ channel, args })
        const answer = answers.get(channel)
        if (!answer) {
          return {
            ok: false,
            error: { code: 'INTERNAL', message: `no answer for ${channel}`, retryable: false }
          }
        }
        return answer(args)
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
  window.keygate = api
  return {
    calls,
    callsTo: (channel: InvokeChannel) =>
      calls.filter((entry) => entry.channel === channel).map((entry) => entry.args),
    answer<C extends InvokeChannel>(channel: C, respond: Answer<C>): void {
      answers.set(channel, respond as Answer<InvokeChannel>)
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
