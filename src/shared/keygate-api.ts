import type { InvokeChannel, KeygateApi, PushChannel } from './ipc'
import type { Result } from './result'

/** How a binding reaches main: Electron IPC in the preload, a Playwright binding in the harness. */
export interface KeygateTransport {
  invoke(channel: InvokeChannel, args: unknown): Promise<Result<unknown>>
  subscribe(event: PushChannel, listener: (payload: unknown) => void): () => void
}

/**
 * Builds `window.keygate`: one function per channel and `on` for pushes. Self-contained (it uses
 * nothing but its parameters) so the browser harness can inject its source into a page.
 */
export function buildKeygateApi(
  transport: KeygateTransport,
  channels: readonly InvokeChannel[]
): KeygateApi {
  const api: Record<string, unknown> = {}
  for (const channel of channels) {
    api[channel] = (args?: unknown) => transport.invoke(channel, args)
  }
  api.on = (event: PushChannel, listener: (payload: unknown) => void) =>
    transport.subscribe(event, listener)
  return Object.freeze(api) as KeygateApi
}
