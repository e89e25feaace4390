import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { Profile } from '../../shared/domain'
import { createHarness, errorOf, started, stopAll } from './app-core.test-harness'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createConfStoreFactory } from './storage/conf-store'

const secret = 'plain-http-secret-0b7e'
let portal: RunningEmulator

beforeAll(async () => {
  portal = await startEmulator({ secret, seedPending: 3, seedApproved: 1 })
})
afterAll(() => portal.close())
afterEach(stopAll)

const port = () => new URL(portal.url).port
const elsewhere = 'http://dashboard.keygate-test.invalid'

describe('http:// only for this machine, or with the profile’s explicit opt-in', () => {
  it('refuses a profile on http:// to another host unless it opts in', async () => {
    const { core } = await started()
    const refused = await errorOf(
      core.handlers['profiles:create']({ name: 'Plain', baseUrl: elsewhere, secret })
    )
    expect(refused.code).toBe('VALIDATION')
    expect(refused.message).toContain('baseUrl: http:// would send the API key to')
    expect(refused.message).toContain('unencrypted')
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])

    const optedIn = await core.handlers['profiles:create']({
      name: 'Plain',
      baseUrl: elsewhere,
      secret,
      allowHttp: true
    })
    expect(optedIn.allowHttp).toBe(true)
    const optOut = await errorOf(
      core.handlers['profiles:update']({ id: optedIn.id, patch: { allowHttp: false } })
    )
    expect(optOut.message).toContain('unencrypted')

    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      const local = await core.handlers['profiles:create']({
        name: host,
        baseUrl: `http://${host}:${port()}`,
        secret
      })
      expect(local.allowHttp).toBe(false)
    }
  })

  it('refuses to test a draft on http:// to another host without the opt-in', async () => {
    const { core } = await started()
    const refused = await errorOf(
      core.handlers['profiles:test']({ draft: { name: 'Plain', baseUrl: elsewhere, secret } })
    )
    expect(refused.code).toBe('VALIDATION')
    expect(refused.message).toContain('unencrypted')
  })

  it('sends nothing for a saved http:// profile to another host that never opted in', async () => {
    const credentials = createMemoryCredentialStore()
    const first = await started({ credentials })
    const profile = await first.core.handlers['profiles:create']({
      name: 'Plain',
      baseUrl: elsewhere,
      secret,
      allowHttp: true
    })
    // As saved by a version that accepted any http:// silently.
    const store = createConfStoreFactory(first.dir)('profiles')
    const saved = store.get<Profile[]>('profiles') ?? []
    store.set(
      'profiles',
      saved.map(({ allowHttp: _optIn, ...rest }) => rest)
    )
    const core = createHarness({ credentials, dir: first.dir }).core
    const view = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(view.sources[0]?.error).toMatchObject({ code: 'TLS' })
    expect(view.sources[0]?.error?.message).toContain('unencrypted')
  })

  it('does not report TLS as passed for http://, even on this machine', async () => {
    const { core } = await started()
    const result = await core.handlers['profiles:test']({
      draft: { name: 'Local', baseUrl: portal.url, secret }
    })
    expect(result.ok).toBe(true)
    const tls = result.checks.find((c) => c.name === 'tls')
    expect(tls).toMatchObject({ ok: false, warning: true })
    expect(tls?.message).toContain('not encrypted')
  })
})
