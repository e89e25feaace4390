import { afterEach, describe, expect, it } from 'vitest'
import { AppFailure } from '../../shared/result'
import { createHarness, started, stopAll, waitFor } from './app-core.test-harness'
import type { CredentialStore } from './ports'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'

afterEach(stopAll)

/** A keychain that can stop answering, as a locked or crashed Secret Service does. */
function flakyKeychain(): CredentialStore & { down: boolean } {
  const inner = createMemoryCredentialStore()
  const keychain = {
    down: false,
    status: () => inner.status(),
    get: (account: string) => (keychain.down ? refuse() : inner.get(account)),
    set: (account: string, secret: string) =>
      keychain.down ? refuse() : inner.set(account, secret),
    delete: (account: string) => (keychain.down ? refuse() : inner.delete(account))
  }
  return keychain
}
const refuse = (): Promise<never> =>
  Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'The keychain did not answer (test)'))

describe('keychain entries of deleted profiles', () => {
  it('deletes at the next start the entry a profile left behind while the keychain was down', async () => {
    const keychain = flakyKeychain()
    const first = await started({ credentials: keychain })
    const input = { name: 'Gone', baseUrl: 'https://127.0.0.1:9/', secret: 'left-behind-1' }
    const kept = await first.core.handlers['profiles:create']({ ...input, name: 'Kept' })
    const gone = await first.core.handlers['profiles:create'](input)
    keychain.down = true
    await first.core.handlers['profiles:delete']({ id: gone.id })
    keychain.down = false
    expect(await keychain.get(gone.id)).toContain('"secret":"left-behind-1"')
    await first.core.stop()

    const again = createHarness({ credentials: keychain, dir: first.dir })
    await again.core.start()
    await waitFor(
      'the leftover entry to be deleted',
      async () => (await keychain.get(gone.id)) === null
    )
    expect(await keychain.get(kept.id)).toContain('"secret":"left-behind-1"')
    expect((await again.core.handlers['profiles:list'](undefined)).map((p) => p.id)).toEqual([
      kept.id
    ])
  })

  it('keeps trying at later starts while the keychain stays down', async () => {
    const keychain = flakyKeychain()
    const first = await started({ credentials: keychain })
    const gone = await first.core.handlers['profiles:create']({
      name: 'Gone',
      baseUrl: 'https://127.0.0.1:9/',
      secret: 'left-behind-2'
    })
    keychain.down = true
    await first.core.handlers['profiles:delete']({ id: gone.id })
    await first.core.stop()
    const second = await started({ credentials: keychain, dir: first.dir })
    await waitFor('the failed retry to be logged', () =>
      second.lines.some((line) => line.includes('trying again at the next start'))
    )
    await second.core.stop()

    keychain.down = false
    const third = createHarness({ credentials: keychain, dir: first.dir })
    await third.core.start()
    await waitFor(
      'the leftover entry to be deleted',
      async () => (await keychain.get(gone.id)) === null
    )
  })
})
