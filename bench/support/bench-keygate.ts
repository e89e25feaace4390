import { buildKeygateApi } from '../../src/shared/keygate-api'
import { invokeChannels } from '../../src/shared/ipc'
import { INVOKE_PATH } from './renderer-server'

/**
 * The init script that gives the page `window.keygate` built by the same builder as the
 * preload; invokes go to the bench server (same origin, allowed by the renderer's CSP), pushes
 * arrive through `globalThis.__keygatePush`.
 */
export const benchKeygateScript = `(() => {
  const listeners = new Map()
  globalThis.__keygatePush = (event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }
  const transport = {
    invoke: (channel, args) =>
      fetch(${JSON.stringify(INVOKE_PATH)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel, args })
      }).then((response) => response.json()),
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    }
  }
  const build = ${buildKeygateApi.toString()}
  globalThis.keygate = build(transport, ${JSON.stringify(invokeChannels)})
})()`
