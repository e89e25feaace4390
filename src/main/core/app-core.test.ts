import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { IssuedCredential, KeyRequest } from '../../shared/domain'
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
afterEach(stopAll)

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
  it('polls a new profile at once and lists its pending requests from the cache, newest first', async () => {
    const { core, pushed } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    expect(profile.baseUrl).toBe(portalA.url)
    expect(await firstPoll(core, profile.id)).toBe(12)

    const view = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    expect(view.items.map((r) => r.id).sort()).toEqual(pendingIds(portalA).sort())
    expect(isNewestFirst(view.items)).toBe(true)
    expect(view.items.every((r) => r.profileId === profile.id && !r.approved && !r.queued)).toBe(
      true
    )
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
    const [summary] = await core.handlers['profiles:list'](undefined)
    expect(summary).toMatchObject({ id: profile.id, hasSecret: true, pendingCount: 12 })
    expect(summary?.connectivity.state).toBe('online')
    // Coalesced pushes feed the sidebar and the tray: the last one carries the count.
    await waitFor('a profiles:changed push with the count', () =>
      pushed('profiles:changed').some((p) => p[0]?.pendingCount === 12)
    )
    expect(pushed('connectivity:changed')).toContainEqual({
      profileId: profile.id,
      connectivity: expect.objectContaining({ state: 'online' })
    })
    expect(pushed('requests:changed')).toContainEqual({ profileIds: [profile.id] })
  })

  it('merges every profile into one inbox and reports a failing portal in sources, not as a throw', async () => {
    const { core } = createHarness()
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
    const { core } = createHarness()
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
    expect(detail.queued).toBeNull()
  })

  it('approves through the outbox: the revealed key is the one the emulator issued, held until dismissed', async () => {
    const { core, pushed, notifier } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    const id = await pendingTokenRequest(core, profile.id)
    const listed = (
      await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    ).items.find((r) => r.id === id)!
    const ref = { profileId: profile.id, requestId: id }

    const outcome = await core.handlers['requests:approve'](ref)
    expect(outcome).toMatchObject({ state: 'done', keyId: expect.any(String) })
    expect(outcome.opId).toMatch(/^[0-9a-f-]{36}$/)
    expect(outcome.message).toBe(
      `Approved: the key for ${listed.developer.email} can be copied once.`
    )
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
      expect.objectContaining({
        id: outcome.keyId,
        requestId: id,
        profileId: profile.id,
        developerEmail: listed.developer.email,
        catalogueName: listed.catalogue?.name
      })
    ])
    expect(JSON.stringify(notices)).not.toContain(String(issued[0]!.response.RawKey))
    expect(pushed('keys:changed')).toContainEqual(notices)
    // The store write (and its push) follows the reply: a flush writes in batches.
    await waitFor('the outbox push of the finished approval', () =>
      pushed('outbox:changed').some((items) => items[0]?.state === 'done')
    )
    const outbox = await core.handlers['outbox:list'](undefined)
    expect(outbox).toEqual([
      expect.objectContaining({ opId: outcome.opId, state: 'done', kind: 'approve', attempts: 1 })
    ])
    expect(pushed('outbox:changed').at(-1)).toEqual(outbox)
    // Known to be approved: gone from the pending list before the next poll.
    const pending = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    expect(pending.items.map((r) => r.id)).not.toContain(id)

    const history = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'approved'
    })
    expect(history.items.find((r) => r.id === id)).toMatchObject({ approved: true })
    expect(await core.handlers['decisions:list']({ profileId: profile.id })).toEqual([
      {
        opId: outcome.opId,
        profileId: profile.id,
        requestId: id,
        kind: 'approve',
        reason: null,
        by: 'test-admin',
        decidedAt: expect.any(String),
        outcome: 'done',
        developerEmail: listed.developer.email,
        policyNames: listed.policies.map((policy) => policy.name),
        catalogueName: listed.catalogue?.name,
        forApi: null
      }
    ])

    expect(await core.handlers['keys:dismiss']({ keyId: outcome.keyId! })).toBeNull()
    expect(await core.handlers['keys:list'](undefined)).toEqual([])
    expect((await errorOf(core.handlers['keys:reveal']({ keyId: outcome.keyId! }))).code).toBe(
      'NOT_FOUND'
    )
    expect(notifier.shown).toEqual([])
  })

  it('never approves a request already approved elsewhere: a conflict in words, no second key, no notification', async () => {
    const { core, notifier } = createHarness()
    const profile = await addProfile(core, portalA, 'Portal A')
    const id = await pendingTokenRequest(core, profile.id)
    portalA.control.approveDirectly(id)
    const outcome = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: id
    })
    expect(outcome).toMatchObject({ state: 'conflict', keyId: null })
    expect(outcome.message).toMatch(/Already approved on the Dashboard.*Nothing was sent/)
    expect(portalA.control.stats().approvals[id]).toBe(1)
    expect(await core.handlers['keys:list'](undefined)).toEqual([])
    // The user reads the conflict in the answer; a notification would say it twice.
    expect(notifier.shown).toEqual([])
  })

  it('declines with DELETE, logs the decision with its reason, and never deletes an approved request', async () => {
    const { core } = createHarness()
    const profile = await addProfile(core, portalA, 'Portal A')
    const [first, second, third] = pendingIds(portalA)
    expect(
      (await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })).items
    ).toHaveLength(12)

    const declined = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: first!,
      reason: 'Duplicate of an earlier request'
    })
    expect(declined).toMatchObject({ state: 'done', keyId: null })
    expect(declined.message).toMatch(/^Declined: the request from .+ was deleted on Portal A\.$/)
    expect(portalA.control.getRequest(first!)).toBeNull()
    expect(portalA.control.stats().deletes[first!]).toBe(1)

    portalA.control.approveDirectly(second!)
    const conflict = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: second!
    })
    expect(conflict.state).toBe('conflict')
    expect(conflict.message).toMatch(/Keygate never deletes an approved request/)
    expect(portalA.control.getRequest(second!)).toMatchObject({ approved: true })
    expect(portalA.control.stats().deletesOfApproved).toBe(0)

    portalA.control.deleteDirectly(third!)
    const gone = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: third!
    })
    expect(gone).toMatchObject({
      state: 'done',
      message: expect.stringMatching(/already been declined or deleted/)
    })

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

  it('parks an approval the portal refuses the secret for, and sends it once the profile gets the right one', async () => {
    const { core, pushed } = await started()
    const profile = await addProfile(core, portalA, 'Portal A', 'wrong-secret-0000')
    const id = pendingIds(portalA)[0]!
    const error = await errorOf(
      core.handlers['requests:get']({ profileId: profile.id, requestId: id })
    )
    expect(error).toMatchObject({ code: 'AUTH_REJECTED', retryable: false })
    expect(error.message).toMatch(/401.*update the profile/)

    const parked = await core.handlers['requests:approve']({ profileId: profile.id, requestId: id })
    expect(parked).toMatchObject({ state: 'needs-auth', keyId: null })
    expect(parked.message).toMatch(/Update the profile’s API secret: queued actions resume then/)
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
    const sent = await waitFor('the parked approval to be sent', async () =>
      (await core.handlers['outbox:list'](undefined)).find(
        (item) => item.opId === parked.opId && item.state === 'done'
      )
    )
    expect(sent.attempts).toBe(1)
    expect(portalA.control.stats().approvals[id]).toBe(1)
    expect(pushed('keys:changed').at(-1)).toEqual([expect.objectContaining({ requestId: id })])
    const detail = await core.handlers['requests:get']({ profileId: profile.id, requestId: id })
    expect(detail.approved).toBe(true)
    expect((await core.handlers['profiles:test']({ id: profile.id })).ok).toBe(true)
  })

  it('re-reads a portal as soon as its profile gets the right secret, without waiting for the next poll', async () => {
    const { core } = await started()
    const created = await core.handlers['profiles:create']({
      name: 'Portal A',
      baseUrl: portalA.url,
      secret: 'wrong-secret-0000',
      pollIntervalSec: 3600
    })
    const summaryOf = async () =>
      (await core.handlers['profiles:list'](undefined)).find((p) => p.id === created.id)
    await waitFor('the first poll to be refused', async () =>
      (await summaryOf())?.connectivity.state === 'auth-problem' ? true : undefined
    )
    expect((await summaryOf())?.pendingCount).toBeNull()

    await core.handlers['profiles:update']({ id: created.id, patch: { secret: secretA } })
    const fixed = await waitFor('the portal to be re-read', async () => {
      const summary = await summaryOf()
      return summary?.pendingCount === null ? undefined : summary
    })
    expect(fixed).toMatchObject({ pendingCount: 12, connectivity: { state: 'online' } })
  })

  it('tests a draft before it is saved', async () => {
    const { core } = createHarness()
    const good = await core.handlers['profiles:test']({
      draft: { name: 'Draft', baseUrl: portalA.url, secret: secretA }
    })
    expect(good).toMatchObject({ ok: true, pendingCount: 12 })
    const bad = await core.handlers['profiles:test']({
      draft: { name: 'Draft', baseUrl: portalA.url, secret: 'nope-nope-nope' }
    })
    expect(bad.ok).toBe(false)
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])
  })

  it('creates a key request for a developer with chosen policies, and the pending list picks it up', async () => {
    const { core, pushed } = await started()
    const profile = await addProfile(core, portalA, 'Portal A')
    await firstPoll(core, profile.id)
    const developers = await core.handlers['developers:list']({ profileId: profile.id })
    const policies = await core.handlers['policies:list']({ profileId: profile.id })
    const developer = developers.find((d) => !d.inactive)!
    const policy = policies.find((p) => p.active)!
    const changes = pushed('requests:changed').length
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
    // Refreshed on its own shortly after the change, and the renderer told.
    await waitFor('the refreshed list', () =>
      pushed('requests:changed')
        .slice(changes)
        .some((p) => p.profileIds.includes(profile.id))
    )
    const pending = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    expect(pending.items.find((r) => r.id === id)?.developer.id).toBe(developer.id)
  })

  it('judges connectivity from real outcomes: offline, then degraded, then online again', async () => {
    const { core } = createHarness()
    const profile = await addProfile(core, portalA, 'Portal A')
    const state = async () =>
      (await core.handlers['profiles:list'](undefined))[0]?.connectivity.state
    const refresh = () =>
      core.handlers['requests:list']({ profileId: profile.id, status: 'pending', refresh: true })

    expect((await refresh()).items).toHaveLength(12)
    portalA.control.setFaults({ offline: true })
    const offline = await refresh()
    expect(offline.sources[0]).toMatchObject({ stale: true, error: { code: 'OFFLINE' } })
    expect(offline.items).toHaveLength(12)
    expect(await state()).toBe('offline')

    portalA.control.setFaults({ offline: false, errorRate: 1, errorStatus: 500 })
    const failing = await waitFor('the portal to answer with errors', async () => {
      const view = await refresh()
      return view.sources[0]?.error?.code === 'SERVER_ERROR' && view
    })
    expect(failing.sources[0]?.stale).toBe(true)
    expect(await state()).toBe('degraded')

    portalA.control.clearFaults()
    expect((await refresh()).sources[0]).toMatchObject({ stale: false, error: null })
    expect(await state()).toBe('online')
  })

  it('reports app info with the keychain status', async () => {
    const { core } = createHarness()
    const info = await core.handlers['app:info'](undefined)
    expect(info).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      platform: process.platform,
      keychain: { available: true, message: null }
    })
  })
})
