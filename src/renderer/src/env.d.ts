import type { KeygateApi } from '../../shared/ipc'

declare global {
  /** Exposed by the preload (or the browser harness); read only through `api.ts`. */
  interface Window {
    keygate: KeygateApi
  }
}
