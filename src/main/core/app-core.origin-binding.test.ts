import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { Profile } from '../../shared/domain'
import type { AppCore } from './app-core-types'
import {
  addProfile,
  createHarness,
  errorOf,
  firstPoll,
  started,
  stopAll,
  waitFor
} from './app-core.test-harness'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createConfStoreFactory } from './storage/conf-store'
import { startRecordingProxy, type RecordingProxy } from './testing/recording-proxy'

const secretA = 'origin-test-secret-a-5e1f'
const secretB = 'origin-test-secret-b-9c3d'
const seedNow = Date.parse('2025-03-01T12:00:00Z')
const cert = readFileSync(
  path.join(import.meta.dirname, '../../../emulator/fixtures/test-cert.pem'),
  'utf8'
)

let portalA: RunningEmulator
let portalB: RunningEmulator
/** The "other" Dashboard: records every authorization header, then forwards to portal B. */
let elsewhere: RecordingProxy

beforeAll(async () => {
  ;[portalA, portalB] = await Promise.all([
    startEmulator({ secret: secretA, seed: 11, seedPending: 10, seedApproved: 1, seedNow }),
    startEmulator({ secret: secretB, seed: 4, seedPending: 3, seedApproved: 1, seedNow })
  ])
})
afterAll(async () => {
  await Promise.all([portalA.close(), portalB.close()])
})
beforeEach(async () => {
  for (const portal of [portalA, portalB]) {
    portal.control.clearFaults()
    portal.control.reset()
  }
  elsewhere = await startRecordingProxy(portalB.url)
})
afterEach(async () => {
  await stopAll()
  await elsewhere.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const dirs: string[] = []
/** A store folder that outlives one core, for a restart. */
function storeDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-origin-'))
  dirs.push(dir)
  return dir
}

/** Everything that could send the stored secret: a test, a refresh and a flush of the outbox. */
async function tryEverything(core: AppCore, profileId: string) {
  const test = await core.handlers['profiles:test']({ id: profileId })
  const list = await core.handlers['requests:list']({ profileId, status: 'pending', refresh: true })
  for (const item of await core.handlers['outbox:list'](undefined)) {
    await core.handlers['outbox:retry']({ opId: item.opId })
  }
  return { test, list }
}

async function queueApproval(core: AppCore, profileId: string) {
  const pending = await core.handlers['requests:list']({ profileId, status: 'pending' })
  const token = pending.items.find((r) => r.catalogue?.authType === 'authToken')
  if (!token) throw new Error('the seed has no pending authToken request')
  portalA.control.setFaults({ offline: true })
  const queued = await core.handlers['requests:approve']({ profileId, requestId: token.id })
  expect(queued.state).toBe('queued')
  return { opId: queued.opId, requestId: token.id }
}

describe('a profile’s API key goes only to the origin it was entered for', () => {
  it('refuses a Dashboard URL change without the key, and nothing is sent to the new URL', async () => {
    const { core } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    await firstPoll(core, profile.id)
    const approval = await queueApproval(core, profile.id)

    const error = await errorOf(
      core.handlers['profiles:update']({ id: profile.id, patch: { baseUrl: elsewhere.url } })
    )
    expect(error).toMatchObject({ code: 'VALIDATION' })
    expect(error.message).toContain('Changing the Dashboard URL needs its API key again')
    expect((await core.handlers['profiles:list'](undefined))[0]?.baseUrl).toBe(portalA.url)

    await tryEverything(core, profile.id)
    expect(elsewhere.authorizations()).toEqual([])

    // The queued approval still goes where the key belongs.
    portalA.control.clearFaults()
    await core.handlers['outbox:retry']({ opId: approval.opId })
    await waitFor('the approval to reach portal A', () =>
      portalA.control.stats().approvals[approval.requestId] === 1 ? true : undefined
    )
    expect(elsewhere.authorizations()).toEqual([])
  })

  it('refuses another port, another host name or a new custom CA without the key', async () => {
    const { core } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    const refused = async (patch: Parameters<AppCore['handlers']['profiles:update']>[0]['patch']) =>
      (await errorOf(core.handlers['profiles:update']({ id: profile.id, patch }))).message

    const port = Number(new URL(portalA.url).port)
    expect(await refused({ baseUrl: `http://127.0.0.1:${port + 1}` })).toContain(
      'Changing the Dashboard URL needs its API key again'
    )
    expect(await refused({ baseUrl: `http://localhost:${port}` })).toContain(
      'Changing the Dashboard URL needs its API key again'
    )
    expect(await refused({ customCa: cert })).toContain(
      'Changing the custom CA needs the API key again'
    )
    // Same origin, another path or a trailing slash: the key stays.
    await core.handlers['profiles:update']({
      id: profile.id,
      patch: { baseUrl: `${portalA.url}/`, name: 'Renamed' }
    })
    expect(await firstPoll(core, profile.id)).toBeGreaterThan(0)
  })

  it('moves to a new URL when its key comes in the same save; the old key never goes there', async () => {
    const { core } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    await core.handlers['profiles:update']({
      id: profile.id,
      patch: { baseUrl: elsewhere.url, secret: secretB }
    })
    const test = await core.handlers['profiles:test']({ id: profile.id })
    expect(test.ok).toBe(true)
    await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(elsewhere.authorizations().length).toBeGreaterThan(0)
    expect(new Set(elsewhere.authorizations())).toEqual(new Set([secretB]))
  })

  it('sends nothing when the saved URL no longer matches the key’s origin (profiles file edited outside Keygate)', async () => {
    const credentials = createMemoryCredentialStore()
    const dir = storeDir()
    const first = await started({ credentials, dir })
    const profile = await addProfile(first.core, portalA, 'Portal A')
    await firstPoll(first.core, profile.id)
    const approval = await queueApproval(first.core, profile.id)
    await stopAll()

    const store = createConfStoreFactory(dir)('profiles')
    const saved = store.get<Profile[]>('profiles') ?? []
    store.set(
      'profiles',
      saved.map((p) => ({ ...p, baseUrl: elsewhere.url }))
    )
    portalA.control.clearFaults()
    const restarted = createHarness({ credentials, dir })
    await restarted.core.start()
    const { test, list } = await tryEverything(restarted.core, profile.id)

    expect(test.ok).toBe(false)
    expect(test.checks.find((c) => c.name === 'auth')?.message).toContain(
      'Changing the Dashboard URL needs its API key again'
    )
    expect(list.sources[0]?.error?.code).toBe('AUTH_REJECTED')
    // The editor asks for the key again.
    expect((await restarted.core.handlers['profiles:list'](undefined))[0]?.hasSecret).toBe(false)
    const parked = await waitFor('the approval to wait for a key', async () =>
      (await restarted.core.handlers['outbox:list'](undefined)).find(
        (item) => item.opId === approval.opId && item.state === 'needs-auth'
      )
    )
    expect(parked.lastError?.code).toBe('AUTH_REJECTED')
    expect(elsewhere.authorizations()).toEqual([])
    expect(portalA.control.stats().approvals[approval.requestId]).toBeUndefined()
  })

  it('binds a key saved by an earlier version to the profile’s URL at first use', async () => {
    const credentials = createMemoryCredentialStore()
    const dir = storeDir()
    const first = await started({ credentials, dir })
    const profile = await addProfile(first.core, portalA, 'Portal A')
    await stopAll()
    await credentials.set(profile.id, secretA)

    const restarted = createHarness({ credentials, dir })
    await restarted.core.start()
    expect((await restarted.core.handlers['profiles:test']({ id: profile.id })).ok).toBe(true)
    expect(await credentials.get(profile.id)).not.toBe(secretA)

    const error = await errorOf(
      restarted.core.handlers['profiles:update']({
        id: profile.id,
        patch: { baseUrl: elsewhere.url }
      })
    )
    expect(error.message).toContain('Changing the Dashboard URL needs its API key again')
    expect(elsewhere.authorizations()).toEqual([])
  })

  it('tests a draft with the key typed in that call only', async () => {
    const { core } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    const typed = 'typed-in-the-editor-7d2a'
    const result = await core.handlers['profiles:test']({
      draft: { name: profile.name, baseUrl: elsewhere.url, secret: typed }
    })
    expect(result.checks.find((c) => c.name === 'auth')?.ok).toBe(false)
    expect(elsewhere.authorizations()).toEqual([typed])
  })
})
