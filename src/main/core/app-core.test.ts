import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { IssuedCredential, KeyRequest } from '../../shared/domain'
import type { PushMessage } from '../../shared/ipc'
import { AppFailure, type AppError } from '../../shared/result'
import type { AppCore } from './app-core-types'
import { createAppCore } from './app-core'
import { toAppError } from './errors'
import { createLogger } from './logging/logger'
import type { CredentialStore } from './ports'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createConfStoreFactory } from './storage/conf-store'

const secretA = 'core-test-secret-a1b2'
const secretB = 'core-test-secret-c3d4'
const seedNow = Date.parse('2025-03-01T12:00:00Z')

let portalA: RunningEmulator
let portalB: RunningEmulator

beforeAll(async () => {
  ;[portalA, portalB] = await Promise.all([
    startEmulator({ port: 0, secret: secretA, seed: 7, seedPending: 12, seedApproved: 4, seedNow }),
    startEmulator({ port: 0, secret: secretB, seed: 8, seedPending: 5, seedApproved: 2, seedNow })
  ])
})
afterAll(async () => {
  await Promise.all([portalA.close(), portalB.close()])
})
beforeEach(() => {
  for (const portal of [portalA, portalB]) {
    portal.control.clearFaults()
    portal.control.reset()
  }
})

interface Harness {
  core: AppCore
  pushes: PushMessage[]
  lines: string[]
  dir: string
}
const running: Harness[] = []
afterEach(async () => {
  for (const { core, dir } of running.splice(0)) {
    await core.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

function start(
  options: {
    credentials?: CredentialStore
    startDemoPortal?: () => Promise<RunningEmulator>
    dir?: string
  } = {}
): Harness {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'keygate-core-'))
  const lines: string[] = []
  const pushes: PushMessage[] = []
  const core = createAppCore({
    stores: createConfStoreFactory(dir),
    credentials: options.credentials ?? createMemoryCredentialStore(),
    notifier: { isSupported: () => false, show: () => {} },
    logger: createLogger((line) => lines.push(line)),
    userName: 'test-admin',
    startDemoPortal: options.startDemoPortal
  })
  core.onPush((message) => pushes.push(message))
  const harness = { core, pushes, lines, dir }
  running.push(harness)
  return harness
}

const addProfile = (core: AppCore, portal: RunningEmulator, name: string, secret = portal.secret) =>
  core.handlers['profiles:create']({ name, dashboardUrl: `${portal.url}/`, secret })

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (e) {
    expect(e).toBeInstanceOf(AppFailure)
    return toAppError(e)
  }
  throw new Error('expected the call to fail')
}

const pendingIds = (portal: RunningEmulator) => portal.control.requestIds({ approved: false })

function isNewestFirst(items: KeyRequest[]): boolean {
  return items.every((item, i) => {
    const next = items[i + 1]
    return !next || (item.createdAt ?? '') >= (next.createdAt ?? '')
  })
}

/** A pending request whose catalogue entry issues a plain key (auth token), found through the core. */
async function pendingTokenRequest(core: AppCore, profileId: string): Promise<string> {
  const view = await core.handlers['requests:list']({ profileId, status: 'pending' })
  const found = view.items.find((r) => r.catalogue?.authType === 'authToken')
  if (!found) throw new Error('the seed has no pending authToken request')
  return found.id
}

describe('AppCore against the emulator over HTTP', () => {
  it('adds a profile and lists its pending requests live, newest first', async () => {
    const { core, pushes } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    expect(profile.dashboardUrl).toBe(portalA.url)
    const [before] = await core.handlers['profiles:list'](undefined)
    expect(before).toMatchObject({ id: profile.id, hasSecret: true, pendingCount: null })
    expect(before?.connectivity.state).toBe('unknown')

    const view = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    expect(view.items.map((r) => r.id).sort()).toEqual(pendingIds(portalA).sort())
    expect(view.items).toHaveLength(12)
    expect(isNewestFirst(view.items)).toBe(true)
    expect(view.items.every((r) => r.profileId === profile.id && !r.approved)).toBe(true)
    expect(view.items[0]).not.toHaveProperty('raw')
    expect(view.sources).toEqual([
      {
        profileId: profile.id,
        status: 'pending',
        fetchedAt: expect.any(String),
        stale: false,
        error: null
      }
    ])

    const [after] = await core.handlers['profiles:list'](undefined)
    expect(after?.pendingCount).toBe(12)
    expect(after?.connectivity.state).toBe('online')
    await new Promise((resolve) => setImmediate(resolve))
    const summaries = pushes.filter((p) => p.event === 'profiles:changed')
    expect(summaries.at(-1)?.payload).toEqual([expect.objectContaining({ pendingCount: 12 })])
    expect(pushes).toContainEqual({
      event: 'connectivity:changed',
      payload: { profileId: profile.id, connectivity: expect.objectContaining({ state: 'online' }) }
    })
  })

  it('merges every profile into one inbox and reports a failing portal in sources, not as a throw', async () => {
    const { core } = start()
    const a = await addProfile(core, portalA, 'Portal A')
    const b = await addProfile(core, portalB, 'Portal B')
    const wrong = await addProfile(core, portalB, 'Wrong secret', 'not-the-secret-9999')

    const view = await core.handlers['requests:list']({ status: 'pending' })
    const expected = [
      ...pendingIds(portalA).map((id) => `${a.id}/${id}`),
      ...pendingIds(portalB).map((id) => `${b.id}/${id}`)
    ].sort()
    expect(view.items.map((r) => `${r.profileId}/${r.id}`).sort()).toEqual(expected)
    expect(isNewestFirst(view.items)).toBe(true)
    expect(view.sources.map((s) => [s.profileId, s.error?.code ?? null, s.stale])).toEqual([
      [a.id, null, false],
      [b.id, null, false],
      [wrong.id, 'AUTH_REJECTED', true]
    ])
    const summaries = await core.handlers['profiles:list'](undefined)
    expect(summaries.map((s) => [s.name, s.pendingCount, s.connectivity.state])).toEqual([
      ['Portal A', 12, 'online'],
      ['Portal B', 5, 'online'],
      ['Wrong secret', null, 'auth-problem']
    ])
  })

  it('gets one request with everything it carries', async () => {
    const { core } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const id = pendingIds(portalA)[0]!
    const doc = portalA.control.getRequest(id) as {
      by_user: string
      fields: Record<string, string>
    }
    const developer = portalA.control.exportState().developers.find((d) => d.id === doc.by_user)
    const detail = await core.handlers['requests:get']({ profileId: profile.id, requestId: id })
    expect(detail).toMatchObject({ id, profileId: profile.id, approved: false, fields: doc.fields })
    expect(detail.developer).toEqual({ id: doc.by_user, email: developer?.email })
    expect(detail.raw).toMatchObject({ id, approved: false })
  })

  it('approves: the revealed key is the one the emulator issued, held until dismissed', async () => {
    const { core, pushes } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const id = await pendingTokenRequest(core, profile.id)
    const ref = { profileId: profile.id, requestId: id }

    const outcome = await core.handlers['requests:approve'](ref)
    expect(outcome).toMatchObject({ state: 'done', keyId: expect.any(String) })
    expect(outcome.opId).toMatch(/^[0-9a-f-]{36}$/)
    const issued = portalA.control.issuedKeys(id)
    expect(issued).toHaveLength(1)
    const credential = await core.handlers['keys:reveal']({ keyId: outcome.keyId! })
    expect(credential).toEqual<IssuedCredential>({
      kind: 'key',
      rawKey: String(issued[0]!.response.RawKey)
    })
    expect(portalA.control.stats().approvals[id]).toBe(1)

    const notices = await core.handlers['keys:list'](undefined)
    expect(notices).toEqual([
      expect.objectContaining({ id: outcome.keyId, requestId: id, profileId: profile.id })
    ])
    expect(JSON.stringify(notices)).not.toContain(String(issued[0]!.response.RawKey))
    expect(pushes).toContainEqual({ event: 'keys:changed', payload: notices })
    expect(pushes).toContainEqual({
      event: 'requests:changed',
      payload: { profileIds: [profile.id] }
    })

    const history = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'approved'
    })
    expect(history.items.find((r) => r.id === id)).toMatchObject({ approved: true })
    const decisions = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(decisions).toEqual([
      expect.objectContaining({
        opId: outcome.opId,
        requestId: id,
        kind: 'approve',
        by: 'test-admin',
        outcome: 'done'
      })
    ])

    expect(await core.handlers['keys:dismiss']({ keyId: outcome.keyId! })).toBeNull()
    expect(await core.handlers['keys:list'](undefined)).toEqual([])
    expect((await errorOf(core.handlers['keys:reveal']({ keyId: outcome.keyId! }))).code).toBe(
      'NOT_FOUND'
    )
  })

  it('never approves a request already approved elsewhere: a conflict, and no second key', async () => {
    const { core } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const id = await pendingTokenRequest(core, profile.id)
    portalA.control.approveDirectly(id)
    const outcome = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: id
    })
    expect(outcome).toMatchObject({ state: 'conflict', keyId: null })
    expect(outcome.message).toMatch(/approved elsewhere/)
    expect(portalA.control.stats().approvals[id]).toBe(1)
    expect(await core.handlers['keys:list'](undefined)).toEqual([])
  })

  it('declines with DELETE, logs the decision with its reason, and never deletes an approved request', async () => {
    const { core } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const [first, second, third] = pendingIds(portalA)

    const declined = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: first!,
      reason: 'Duplicate of an earlier request'
    })
    expect(declined.state).toBe('done')
    expect(portalA.control.getRequest(first!)).toBeNull()
    expect(portalA.control.stats().deletes[first!]).toBe(1)

    portalA.control.approveDirectly(second!)
    const conflict = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: second!
    })
    expect(conflict.state).toBe('conflict')
    expect(portalA.control.getRequest(second!)).toMatchObject({ approved: true })
    expect(portalA.control.stats().deletesOfApproved).toBe(0)

    portalA.control.deleteDirectly(third!)
    const gone = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: third!
    })
    expect(gone).toMatchObject({ state: 'done', message: expect.stringMatching(/Already removed/) })

    const log = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(log.map((e) => [e.requestId, e.kind, e.outcome, e.reason])).toEqual([
      [third, 'decline', 'done', null],
      [second, 'decline', 'conflict', null],
      [first, 'decline', 'done', 'Duplicate of an earlier request']
    ])
    const pending = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    expect(pending.items.map((r) => r.id)).not.toContain(first)
  })

  it('reports a wrong secret as AUTH_REJECTED, and works once the profile gets the right one', async () => {
    const { core } = start()
    const profile = await addProfile(core, portalA, 'Portal A', 'wrong-secret-0000')
    const id = pendingIds(portalA)[0]!
    const error = await errorOf(
      core.handlers['requests:get']({ profileId: profile.id, requestId: id })
    )
    expect(error).toMatchObject({ code: 'AUTH_REJECTED', retryable: false })
    expect(error.message).toMatch(/401.*update the profile/)
    expect(
      (await errorOf(core.handlers['requests:approve']({ profileId: profile.id, requestId: id })))
        .code
    ).toBe('AUTH_REJECTED')
    expect(portalA.control.stats().approvals[id]).toBeUndefined()
    const test = await core.handlers['profiles:test']({ id: profile.id })
    expect(test.ok).toBe(false)
    expect(test.checks).toContainEqual(expect.objectContaining({ name: 'auth', ok: false }))
    const [summary] = await core.handlers['profiles:list'](undefined)
    expect(summary?.connectivity).toMatchObject({
      state: 'auth-problem',
      lastError: { code: 'AUTH_REJECTED' }
    })

    await core.handlers['profiles:update']({ id: profile.id, patch: { secret: secretA } })
    const detail = await core.handlers['requests:get']({ profileId: profile.id, requestId: id })
    expect(detail.id).toBe(id)
    expect((await core.handlers['profiles:test']({ id: profile.id })).ok).toBe(true)
  })

  it('tests a draft before it is saved', async () => {
    const { core } = start()
    const good = await core.handlers['profiles:test']({
      draft: { name: 'Draft', dashboardUrl: portalA.url, secret: secretA }
    })
    expect(good).toMatchObject({ ok: true, pendingCount: 12 })
    const bad = await core.handlers['profiles:test']({
      draft: { name: 'Draft', dashboardUrl: portalA.url, secret: 'nope-nope-nope' }
    })
    expect(bad.ok).toBe(false)
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])
  })

  it('creates a key request for a developer with chosen policies', async () => {
    const { core, pushes } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const developers = await core.handlers['developers:list']({ profileId: profile.id })
    const policies = await core.handlers['policies:list']({ profileId: profile.id })
    const developer = developers.find((d) => !d.inactive)!
    const policy = policies.find((p) => p.active)!
    const { id } = await core.handlers['requests:create']({
      profileId: profile.id,
      developerId: developer.id,
      policyIds: [policy.id],
      fields: { reason: 'integration test' }
    })
    expect(portalA.control.getRequest(id)).toMatchObject({
      approved: false,
      by_user: developer.id,
      apply_policies: [policy.id]
    })
    expect(pushes).toContainEqual({
      event: 'requests:changed',
      payload: { profileIds: [profile.id] }
    })
    const pending = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    expect(pending.items.find((r) => r.id === id)?.developer.id).toBe(developer.id)
  })

  it('judges connectivity from real outcomes: offline, then degraded, then online again', async () => {
    const { core } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const state = async () =>
      (await core.handlers['profiles:list'](undefined))[0]?.connectivity.state

    portalA.control.setFaults({ offline: true })
    const offline = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    expect(offline.sources[0]?.error?.code).toBe('OFFLINE')
    expect(await state()).toBe('offline')

    portalA.control.setFaults({ offline: false, errorRate: 1, errorStatus: 500 })
    const failing = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    expect(failing.sources[0]?.error?.code).toBe('SERVER_ERROR')
    expect(await state()).toBe('degraded')

    portalA.control.clearFaults()
    await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    expect(await state()).toBe('online')
  })

  it('deletes a profile with its decisions and keys', async () => {
    const { core, pushes } = start()
    const profile = await addProfile(core, portalA, 'Portal A')
    const outcome = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: await pendingTokenRequest(core, profile.id)
    })
    expect(outcome.keyId).not.toBeNull()
    expect(await core.handlers['profiles:delete']({ id: profile.id })).toBeNull()
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])
    expect(await core.handlers['keys:list'](undefined)).toEqual([])
    expect((await errorOf(core.handlers['decisions:list']({ profileId: profile.id }))).code).toBe(
      'NOT_FOUND'
    )
    expect(
      (await errorOf(core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })))
        .code
    ).toBe('NOT_FOUND')
    expect(pushes).toContainEqual({ event: 'keys:changed', payload: [] })
  })

  it('answers the outbox channels empty until the offline queue is in', async () => {
    const { core } = start()
    expect(await core.handlers['outbox:list'](undefined)).toEqual([])
    expect((await errorOf(core.handlers['outbox:retry']({ opId: 'x' }))).code).toBe('NOT_FOUND')
    expect((await errorOf(core.handlers['outbox:cancel']({ opId: 'x' }))).code).toBe('NOT_FOUND')
  })

  it('reports app info with the keychain status', async () => {
    const { core } = start()
    const info = await core.handlers['app:info'](undefined)
    expect(info).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      platform: process.platform,
      keychain: { available: true, message: null }
    })
  })
})

describe('the demo portal', () => {
  const noKeychain: CredentialStore = {
    status: async () => ({ available: false, message: 'No OS keychain is available (test).' }),
    get: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'no keychain')),
    set: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'no keychain')),
    delete: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', 'no keychain'))
  }

  it('starts once, adds a demo profile with its secret in session memory when there is no keychain', async () => {
    const started: RunningEmulator[] = []
    const { core } = start({
      credentials: noKeychain,
      startDemoPortal: async () => {
        const portal = await startEmulator({
          port: 0,
          secret: 'demo-secret-5e5e',
          seed: 3,
          seedPending: 4,
          seedApproved: 1
        })
        started.push(portal)
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
    expect(started).toHaveLength(1)
    expect(first.dashboardUrl).toBe(started[0]!.url)

    const view = await core.handlers['requests:list']({ profileId: first.id, status: 'pending' })
    expect(view.items).toHaveLength(4)
    await core.stop()
    const afterStop = await core.handlers['requests:list']({
      profileId: first.id,
      status: 'pending'
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
    const first = start({ startDemoPortal })
    const demo = await first.core.handlers['demo:start'](undefined)
    await first.core.stop()

    const second = start({ startDemoPortal, dir: first.dir })
    await second.core.start()
    const [profile] = await second.core.handlers['profiles:list'](undefined)
    expect(profile).toMatchObject({ id: demo.id, demo: true, hasSecret: true })
    expect(profile?.dashboardUrl).not.toBe(demo.dashboardUrl)
    const view = await second.core.handlers['requests:list']({
      profileId: demo.id,
      status: 'pending'
    })
    expect(view.sources[0]?.error).toBeNull()
    expect(view.items).toHaveLength(4)
  })

  it('is NOT_FOUND where the build has no demo portal', async () => {
    const { core } = start()
    expect((await errorOf(core.handlers['demo:start'](undefined))).code).toBe('NOT_FOUND')
  })
})
