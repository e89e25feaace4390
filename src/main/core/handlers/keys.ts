import { credentialField } from '../keys/credential-field'
import type { KeyClipboard } from '../keys/key-clipboard'
import type { KeyVault } from '../keys/key-vault'
import type { HandlersFor, Push } from './handler-types'

export interface KeyHandlerDeps {
  vault: Pick<KeyVault, 'list' | 'reveal' | 'dismiss'>
  keyClipboard: Pick<KeyClipboard, 'copy'>
  push: Push
}

/** `keys:*`: issued keys held in main; Copy writes the value here, never in the renderer. */
export function keyHandlers(
  deps: KeyHandlerDeps
): HandlersFor<'keys:list' | 'keys:reveal' | 'keys:copy' | 'keys:dismiss'> {
  const { vault } = deps
  return {
    'keys:list': async () => vault.list(),
    'keys:reveal': async ({ keyId }) => vault.reveal(keyId),
    'keys:copy': ({ keyId, field }) =>
      deps.keyClipboard.copy(credentialField(vault.reveal(keyId), field)),
    'keys:dismiss': async ({ keyId }) => {
      if (vault.dismiss(keyId)) deps.push('keys:changed', vault.list())
      return null
    }
  }
}
