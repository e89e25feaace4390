import { credentialField } from '../keys/credential-field'
import type { KeyClipboard } from '../keys/key-clipboard'
import { exportKeys } from '../keys/key-export'
import type { KeyVault } from '../keys/key-vault'
import type { FileSaver } from '../ports'
import type { HandlersFor, Push } from './handler-types'

export interface KeyHandlerDeps {
  vault: Pick<KeyVault, 'list' | 'reveal' | 'dismiss'>
  keyClipboard: Pick<KeyClipboard, 'copy'>
  fileSaver: FileSaver | undefined
  portalName: (profileId: string) => string
  /** YYYY-MM-DD, for the exported file's name. */
  today: () => string
  push: Push
}

/** `keys:*`: issued keys held in main; Copy writes the value here, never in the renderer. */
export function keyHandlers(
  deps: KeyHandlerDeps
): HandlersFor<'keys:list' | 'keys:reveal' | 'keys:copy' | 'keys:dismiss' | 'keys:export'> {
  const { vault } = deps
  return {
    'keys:list': async () => vault.list(),
    'keys:reveal': async ({ keyId }) => vault.reveal(keyId),
    'keys:copy': ({ keyId, field }) =>
      deps.keyClipboard.copy(credentialField(vault.reveal(keyId), field)),
    'keys:dismiss': async ({ keyId }) => {
      if (vault.dismiss(keyId)) deps.push('keys:changed', vault.list())
      return null
    },
    'keys:export': ({ keyIds, format }) =>
      exportKeys({
        vault,
        fileSaver: deps.fileSaver,
        portalName: deps.portalName,
        keyIds,
        format,
        today: deps.today()
      })
  }
}
