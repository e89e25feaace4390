import { beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../../emulator'
import type { CredentialStore } from './ports'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import {
  addProfile,
  errorOf,
  firstPoll,
  started,
  waitFor,
  useEmulator
} from './app-core.test-harness'

const emulator = useEmulator({ secret: 'keychain-hang-secret-6e0b', seed: 3, seedPending: 3 })
let portal: RunningEmulator
beforeEach(() => {
  portal = emulator()
})

/**
 * A keychain whose calls never answer while `locked` (an unlock prompt left open); calls made
 * while locked stay unanswered even after it unlocks, as a hung prompt's would.
 */
function lockableKeychain(): { store: CredentialStore; lock(): void; unlock(): void } {
  const inner = createMemoryCredentialStore()
  let locked = false
  const hang = new Promise<never>(() => undefined)
  const guarded =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      locked ? hang : fn(...args)
  return {
    store: {
      status: guarded(inner.status),
      get: guarded(inner.get),
      set: guarded(inner.set),
      delete: guarded(inner.delete)
    },
    lock: () => (locked = true),
    unlock: () => (locked = false)
  }
}

describe('AppCore with a keychain that does not answer', () => {
  it('answers every channel with an error naming the keychain, caches no pending client, and resumes parked actions once it answers', async () => {
    const keychain = lockableKeychain()
    const { core } = await started({
      credentials: keychain.store,
      tuning: { keychainTimeoutMs: 200, actionWaitMs: 3_000 }
    })
    const profile = await addProfile(core, portal, 'Portal L')
    await firstPoll(core, profile.id)
    const [request] = (
      await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    ).items
    // The profile was just edited: its next call must read the secret again.
    await core.handlers['profiles:update']({ id: profile.id, patch: { name: 'Portal L2' } })
    keychain.lock()

    const summaries = await core.handlers['profiles:list'](undefined)
    expect(summaries.map((p) => p.name)).toEqual(['Portal L2'])
    const detail = await errorOf(
      core.handlers['requests:get']({ profileId: profile.id, requestId: request!.id })
    )
    expect(detail.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(detail.message).toMatch(/keychain did not answer.*is it locked\?/i)
    const view = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(view.sources[0]?.error?.code).toBe('KEYCHAIN_UNAVAILABLE')

    const approval = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: request!.id
    })
    expect(approval.state).toBe('needs-auth')
    expect(portal.control.stats().approvals[request!.id]).toBeUndefined()

    keychain.unlock()
    // The next call that reaches the keychain finds it answering: parked actions go out.
    await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    const item = await waitFor('the parked approval to be sent', async () => {
      const found = (await core.handlers['outbox:list'](undefined))[0]
      return found?.state === 'done' && found
    })
    expect(item.opId).toBe(approval.opId)
    expect(portal.control.stats().approvals[request!.id]).toBe(1)
  })
})
