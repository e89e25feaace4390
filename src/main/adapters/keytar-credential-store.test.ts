import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../shared/result'
import { keychainTestEnv } from '../core/profiles/test-keychain'
import { createKeytarCredentialStore } from './keytar-credential-store'

const run = promisify(execFile)

async function failureOf(promise: Promise<unknown>): Promise<AppFailure> {
  try {
    await promise
  } catch (e) {
    if (e instanceof AppFailure) return e
    throw e
  }
  throw new Error('expected an AppFailure')
}

describe('keytar credential store: without a usable keychain', () => {
  it('answers KEYCHAIN_UNAVAILABLE with an install hint when the native module is missing', async () => {
    const store = createKeytarCredentialStore({
      load: () => Promise.reject(new Error("Cannot find module 'keytar'"))
    })
    const status = await store.status()
    expect(status.available).toBe(false)
    expect(status.message).toMatch(/keytar native module could not be loaded/)
    expect(status.message).toMatch(/gnome-keyring .* libsecret, then restart Keygate/)
    expect(status.message).toMatch(/session only/)
    const failure = await failureOf(store.set('account', 'secret-value-123'))
    expect(failure.error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(failure.message).not.toContain('secret-value-123')
  })

  it('tells the user to unlock a locked keychain rather than install one', async () => {
    const store = createKeytarCredentialStore({
      load: async () => ({
        getPassword: async () => null,
        setPassword: () =>
          Promise.reject(new Error('Cannot create an item in a locked collection')),
        deletePassword: async () => false
      })
    })
    const failure = await failureOf(store.set('account', 'secret-value-123'))
    expect(failure.error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(failure.message).toMatch(/^The OS keychain is locked .* Unlock it/)
  })

  it('answers KEYCHAIN_UNAVAILABLE from the real keytar when no Secret Service answers', async () => {
    const adapter = path.resolve('src/main/adapters/keytar-credential-store.ts')
    const script = `(async () => {
      const { createKeytarCredentialStore } = await import(${JSON.stringify(adapter)})
      const store = createKeytarCredentialStore()
      const status = await store.status()
      let code = null
      try { await store.set('probe-account', 'never-stored-secret') } catch (e) { code = e.error?.code ?? String(e) }
      console.log(JSON.stringify({ status, code }))
    })()`
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keygate-bus'
    }
    delete env.DISPLAY
    const { stdout } = await run(path.resolve('node_modules/.bin/tsx'), ['--eval', script], { env })
    const answer = JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
    expect(answer.status.available).toBe(false)
    expect(answer.status.message).toMatch(
      /No OS keychain is available \(.+\)\. On Linux, install gnome-keyring/
    )
    expect(answer.code).toBe('KEYCHAIN_UNAVAILABLE')
  })
})

if (!keychainTestEnv.available) {
  if (keychainTestEnv.required) {
    it('has the session bus KEYGATE_REQUIRE_KEYCHAIN=1 asks for', () => {
      expect.fail(`KEYGATE_REQUIRE_KEYCHAIN=1 but ${keychainTestEnv.skipReason}`)
    })
  } else {
    console.log(`keychain round trip skipped: ${keychainTestEnv.skipReason}`)
  }
}

describe.runIf(keychainTestEnv.available)('keytar credential store: the real keychain', () => {
  it('is available, and stores, reads, replaces and deletes a secret', async () => {
    const store = createKeytarCredentialStore()
    expect(await store.status()).toEqual({ available: true, message: null })
    const account = `test-${randomUUID()}`
    expect(await store.get(account)).toBeNull()
    await store.set(account, 'first-secret-4d2a')
    expect(await store.get(account)).toBe('first-secret-4d2a')
    await store.set(account, 'second-secret-9b1c')
    expect(await store.get(account)).toBe('second-secret-9b1c')

    expect(await createKeytarCredentialStore().get(account)).toBe('second-secret-9b1c')
    expect(await store.delete(account)).toBe(true)
    expect(await store.get(account)).toBeNull()
    expect(await store.delete(account)).toBe(false)
  })

  it('keeps services apart: the account of another service is not ours', async () => {
    const account = `test-${randomUUID()}`
    const other = createKeytarCredentialStore({ service: 'keygate-test-other' })
    await other.set(account, 'other-service-secret')
    try {
      expect(await createKeytarCredentialStore().get(account)).toBeNull()
    } finally {
      await other.delete(account)
    }
  })
})
