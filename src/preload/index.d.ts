import type { KeygateApi } from '../shared/ipc'

declare global {
  /** Exposed by the preload (src/preload/index.ts): one function per contract channel, plus `on`. */
  interface Window {
    keygate: KeygateApi
  }
}
