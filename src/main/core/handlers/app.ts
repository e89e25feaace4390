import type { AppInfo } from '../../../shared/domain'
import type { HandlersFor } from './handler-types'

export interface AppHandlerDeps {
  version: string
  platform: string
  /** Never throws: a keychain that fails or does not answer is reported as unavailable. */
  keychainStatus: () => Promise<AppInfo['keychain']>
}

/** `app:info`: what the About box and the keychain banner show. */
export function appHandlers(deps: AppHandlerDeps): HandlersFor<'app:info'> {
  return {
    'app:info': async () => ({
      version: deps.version,
      platform: deps.platform,
      keychain: await deps.keychainStatus()
    })
  }
}
