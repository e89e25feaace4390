import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { EmulatorFaults, RunningEmulator } from '../../../emulator'
import { createNodeTransport } from './http/node-transport'
import type { HttpTransport } from './ports'
import { RecordingFileSaver } from './testing/recording-file-saver'
import {
  addProfile,
  errorOf,
  firstPoll,
  started,
  useEmulator,
  waitFor
} from './app-core.test-harness'

const emulator = useEmulator({ secret: 'delete-profile-secret-44aa', seed: 12, seedPending: 4 })
let portal: RunningEmulator
beforeEach(() => {
  portal = emulator()
})

/** A core with one profile holding a queued approve and decline (the portal was offline). */
async function profileWithQueuedActions() {
  const h = await started({ tuning: { actionWaitMs: 2_000 } })
  const profile = await addProfile(h.core, portal, 'Portal D')
  await firstPoll(h.core, profile.id)
  const [a, b] = (
    await h.core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
  ).items
  portal.control.setFaults({ offline: true })
  await h.core.handlers['requests:approve']({ profileId: profile.id, requestId: a!.id })
  await h.core.handlers['requests:decline']({
    profileId: profile.id,
    requestId: b!.id,
    reason: 'Not a customer'
  })
  return { ...h, profile, ids: [a!.id, b!.id] }
}

/**
 * A core whose approve lands on the Dashboard (a key is issued) but is answered 500, so its
 * outcome is unknown to Keygate; right after that answer the portal turns to `then`, so the
 * re-check cannot clear the doubt.
 */
async function approveOfUnknownOutcome(
  then: Partial<EmulatorFaults>,
  fileSaver?: RecordingFileSaver
) {
  const inner = createNodeTransport()
  const transport: HttpTransport = async (request) => {
    const answer = await inner(request)
    if (request.method === 'PUT') portal.control.setFaults({ ...then, errorAfterCommitRate: 0 })
    return answer
  }
  const h = await started({ transport, fileSaver, tuning: { actionWaitMs: 2_000 } })
  const profile = await addProfile(h.core, portal, 'Portal U')
  await firstPoll(h.core, profile.id)
  const [request] = (
    await h.core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
  ).items
  portal.control.setFaults({ errorAfterCommitRate: 1, errorStatus: 500, errorMethods: ['PUT'] })
  await h.core.handlers['requests:approve']({ profileId: profile.id, requestId: request!.id })
  expect(portal.control.stats().approvals[request!.id]).toBe(1)
  return { ...h, profile, request: request! }
}

describe('Deleting a profile whose approve may have reached the Dashboard', () => {
  it.each([
    ['parked needs-auth (the re-check was answered 401)', { authFail: true }, 'needs-auth'],
    ['waiting for its re-check (the portal went offline)', { offline: true }, 'sending']
  ] as const)(
    'when %s, says so before deleting, and the log keeps the doubt instead of "cancelled"',
    async (_, then, parked) => {
      const { core, profile, request } = await approveOfUnknownOutcome(then)
      await waitFor(`the approve to be ${parked}`, async () => {
        const [item] = await core.handlers['outbox:list'](undefined)
        return item?.state === parked
      })
      expect(await core.handlers['profiles:delete']({ id: profile.id })).toEqual({
        deleted: false,
        queued: 1,
        failed: 0,
        uncertain: 1
      })

      const answer = await core.handlers['profiles:delete']({
        id: profile.id,
        pendingActions: 'cancel'
      })
      expect(answer).toEqual({ deleted: true, queued: 0, failed: 0, uncertain: 0 })
      const [entry] = await core.handlers['decisions:list']({ profileId: profile.id })
      expect(entry).toMatchObject({
        requestId: request.id,
        outcome: 'cancelled',
        resolution: { reason: 'cancelled-outcome-unknown' },
        portalRemoved: { name: 'Portal U' }
      })
    }
  )
})

describe('A deleted portal’s decisions stay reachable', () => {
  it('lists the portal by name, across a restart, and exports its decisions with their resolution', async () => {
    const saver = new RecordingFileSaver()
    const { core, profile, request, dir } = await approveOfUnknownOutcome({ offline: true }, saver)
    await waitFor('the approve to await its re-check', async () => {
      const [item] = await core.handlers['outbox:list'](undefined)
      return item?.state === 'sending'
    })
    await core.handlers['profiles:delete']({ id: profile.id, pendingActions: 'cancel' })
    portal.control.clearFaults()
    const live = await addProfile(core, portal, 'Portal L')

    const removed = await core.handlers['decisions:removedPortals'](undefined)
    expect(removed).toEqual([
      { profileId: profile.id, name: 'Portal U', removedAt: expect.stringMatching(/^\d{4}-/) }
    ])
    expect(removed.map((p) => p.profileId)).not.toContain(live.id)

    const all = await core.handlers['export:save']({ what: 'decisions', format: 'csv' })
    expect(all.rows).toBe(1)
    const [header, row] = saver.requests[0]!.contents.split('\r\n')
    expect(header).toBe(
      'portal,request_id,developer,api,policies,catalogue,decision,outcome,resolution,reason,decided_by,decided_at'
    )
    expect(row).toMatch(new RegExp(`^Portal U,${request.id},`))
    expect(row).toContain(',approve,cancelled,cancelled-outcome-unknown,,test-admin,')
    const named = await core.handlers['export:save']({
      what: 'decisions',
      format: 'json',
      profileIds: [profile.id]
    })
    expect(named.rows).toBe(1)
    expect(JSON.parse(saver.requests[1]!.contents)).toMatchObject({
      portals: ['Portal U'],
      items: [{ portal: 'Portal U', resolution: 'cancelled-outcome-unknown' }]
    })
    // Only decisions outlive a portal; an id nothing was logged for is still unknown.
    for (const [what, id] of [
      ['pending', profile.id],
      ['decisions', 'never-was']
    ] as const) {
      const answer = core.handlers['export:save']({ what, format: 'csv', profileIds: [id] })
      expect((await errorOf(answer)).code).toBe('NOT_FOUND')
    }

    await core.stop()
    const restarted = await started({ dir })
    expect(await restarted.core.handlers['decisions:removedPortals'](undefined)).toEqual(removed)
  })
})

describe('Deleting a profile never drops what an admin decided', () => {
  it('refuses while actions are queued, answering their counts; nothing is deleted', async () => {
    const { core, profile } = await profileWithQueuedActions()
    const answer = await core.handlers['profiles:delete']({ id: profile.id })
    expect(answer).toEqual({ deleted: false, queued: 2, failed: 0, uncertain: 0 })
    expect((await core.handlers['profiles:list'](undefined)).map((p) => p.id)).toEqual([profile.id])
    expect((await core.handlers['outbox:list'](undefined)).map((i) => i.state)).toEqual([
      'queued',
      'queued'
    ])
  })

  it('told to cancel them, deletes the profile and keeps its decision log, marked "portal removed" and still listed', async () => {
    const { core, profile } = await profileWithQueuedActions()
    const answer = await core.handlers['profiles:delete']({
      id: profile.id,
      pendingActions: 'cancel'
    })
    expect(answer).toEqual({ deleted: true, queued: 0, failed: 0, uncertain: 0 })
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])
    const log = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(log.map((e) => [e.kind, e.outcome, e.reason, e.portalRemoved?.name])).toEqual([
      ['decline', 'cancelled', 'Not a customer', 'Portal D'],
      ['approve', 'cancelled', null, 'Portal D']
    ])
    portal.control.clearFaults()
    expect(portal.control.stats().approvals).toEqual({})
  })

  it('told to send them, sends them first when the portal answers, then deletes', async () => {
    const { core, profile, ids } = await profileWithQueuedActions()
    portal.control.clearFaults()
    const answer = await core.handlers['profiles:delete']({
      id: profile.id,
      pendingActions: 'send'
    })
    expect(answer).toEqual({ deleted: true, queued: 0, failed: 0, uncertain: 0 })
    expect(portal.control.stats().approvals[ids[0]!]).toBe(1)
    expect(portal.control.getRequest(ids[1]!)).toBeNull()
    const log = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(log.map((e) => e.outcome)).toEqual(['done', 'done'])
  })

  it('deletes a profile with its queue, cached lists and keys, once told to cancel its queued action; its decision log stays', async () => {
    const { core, pushed, dir } = await started()
    const profile = await addProfile(core, portal, 'Portal A')
    await firstPoll(core, profile.id)
    const pending = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    const approveId = pending.items.find((r) => r.catalogue?.authType === 'authToken')!.id
    const declineId = pending.items.find((r) => r.id !== approveId)!.id
    const outcome = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: approveId
    })
    expect(outcome.keyId).not.toBeNull()
    portal.control.setFaults({ offline: true })
    const queued = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: declineId
    })
    expect(queued.state).toBe('queued')

    expect(await core.handlers['profiles:delete']({ id: profile.id })).toEqual({
      deleted: false,
      queued: 1,
      failed: 0,
      uncertain: 0
    })
    expect(
      await core.handlers['profiles:delete']({ id: profile.id, pendingActions: 'cancel' })
    ).toEqual({ deleted: true, queued: 0, failed: 0, uncertain: 0 })
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])
    expect(await core.handlers['keys:list'](undefined)).toEqual([])
    expect(await core.handlers['outbox:list'](undefined)).toEqual([])
    expect(
      (await core.handlers['decisions:list']({ profileId: profile.id })).map((e) => [
        e.kind,
        e.outcome,
        e.portalRemoved?.name
      ])
    ).toEqual([
      ['decline', 'cancelled', 'Portal A'],
      ['approve', 'done', 'Portal A']
    ])
    expect((await errorOf(core.handlers['decisions:list']({ profileId: 'never-was' }))).code).toBe(
      'NOT_FOUND'
    )
    expect(
      (await errorOf(core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })))
        .code
    ).toBe('NOT_FOUND')
    expect(pushed('keys:changed').at(-1)).toEqual([])
    expect(pushed('outbox:changed').at(-1)).toEqual([])
    await waitFor(
      'an empty profiles:changed push',
      () => pushed('profiles:changed').at(-1)?.length === 0
    )

    portal.control.clearFaults()
    await core.stop()
    for (const name of ['cache', 'seen', 'outbox', 'profiles']) {
      expect(readFileSync(path.join(dir, `${name}.json`), 'utf8')).not.toContain(profile.id)
    }
    expect(portal.control.stats().deletes[declineId]).toBeUndefined()
  })
})
