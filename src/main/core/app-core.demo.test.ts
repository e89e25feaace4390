import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import { AppFailure } from '../../shared/result'
import { createHarness, errorOf, started, stopAll } from './app-core.test-harness'
import type { CredentialStore } from './ports'

afterEach(stopAll)

describe('the demo portal', () => {
  const noKeychain: CredentialStore = {
    status: async () => ({ available: false, message: 'No OS keychain is available (test).' }),
    get: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'no keychain')),
    set: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'no keychain')),
    delete: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'no keychain'))
  }

  it('starts once, adds a demo profile with its secret in session memory when there is no keychain', async () => {
    const portals: RunningEmulator[] = []
    const { core } = createHarness({
      credentials: noKeychain,
      startDemoPortal: async () => {
        const portal = await startEmulator({
          port: 0,
          secret: 'demo-secret-5e5e',
          seed: 3,
          seedPending: 4,
          seedApproved: 1
        })
        portals.push(portal)
        return portal
      }
    })
    const [first, again] = await Promise.all([
      core.handlers['demo:start'](undefined),
      core.handlers['demo:start'](undefined)
    ])
    expect(first).toMatchObject({ name: 'Demo portal', demo: true, secretStorage: 'session' })
    expect(again?.id).toBe(first.id)
    expect(await core.handlers['demo:start'](undefined)).toEqual(first)
    expect(portals).toHaveLength(1)
    expect(first.baseUrl).toBe(portals[0]!.url)

    const view = await core.handlers['requests:list']({ profileId: first.id, status: 'pending' })
    expect(view.items).toHaveLength(4)
    await core.stop()
    const afterStop = await core.handlers['requests:list']({
      profileId: first.id,
      status: 'pending',
      refresh: true
    })
    expect(afterStop.sources[0]?.error?.code).toBe('OFFLINE')
  })

  it('brings the demo portal back behind the saved demo profile when the app starts again', async () => {
    const startDemoPortal = () =>
      startEmulator({
        port: 0,
        secret: `demo-${Math.random()}`,
        seed: 3,
        seedPending: 4,
        seedApproved: 1
      })
    const first = createHarness({ startDemoPortal })
    const demo = await first.core.handlers['demo:start'](undefined)
    await first.core.stop()

    const second = await started({ startDemoPortal, dir: first.dir })
    const [profile] = await second.core.handlers['profiles:list'](undefined)
    expect(profile).toMatchObject({ id: demo.id, demo: true, hasSecret: true })
    expect(profile?.baseUrl).not.toBe(demo.baseUrl)
    const view = await second.core.handlers['requests:list']({
      profileId: demo.id,
      status: 'pending'
    })
    expect(view.sources[0]?.error).toBeNull()
    expect(view.items).toHaveLength(4)
  })

  it('is NOT_FOUND where the build has no demo portal', async () => {
    const { core } = createHarness()
    expect((await errorOf(core.handlers['demo:start'](undefined))).code).toBe('NOT_FOUND')
  })
})
