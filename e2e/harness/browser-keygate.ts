import { buildKeygateApi, type KeygateTransport } from '../../src/shared/keygate-api'
import { invokeChannels, type InvokeChannel, type PushChannel } from '../../src/shared/ipc'
import type { Result } from '../../src/shared/result'

interface HarnessWindow {
  keygate: unknown
  __keygateInvoke(channel: InvokeChannel, args: unknown): Promise<Result<unknown>>
  __keygatePush(event: PushChannel, payload: unknown): void
}

/**
 * Runs inside the page (its source is injected): defines window.keygate with the same builder the
 * preload uses, forwarding calls to the `__keygateInvoke` binding and receiving pushes.
 */
function installBrowserKeygate(build: typeof buildKeygateApi, channels: InvokeChannel[]): void {
  const page = globalThis as unknown as HarnessWindow
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>()
  page.__keygatePush = (event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }
  const transport: KeygateTransport = {
    invoke: (channel, args) => page.__keygateInvoke(channel, args),
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => {
        set.delete(listener)
      }
    }
  }
  page.keygate = build(transport, channels)
}

/** The init script that gives a plain browser page the same window.keygate as the preload. */
export const browserKeygateScript = `(${installBrowserKeygate.toString()})(${buildKeygateApi.toString()}, ${JSON.stringify(invokeChannels)});`
