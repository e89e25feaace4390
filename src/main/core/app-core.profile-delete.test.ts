import { beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../../emulator'
import { addProfile, firstPoll, started, useEmulator } from './app-core.test-harness'

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

describe('Deleting a profile never drops what an admin decided', () => {
  it('refuses while actions are queued, answering their counts; nothing is deleted', async () => {
    const { core, profile } = await profileWithQueuedActions()
    const answer = await core.handlers['profiles:delete']({ id: profile.id })
    expect(answer).toEqual({ deleted: false, queued: 2, failed: 0 })
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
    expect(answer).toEqual({ deleted: true, queued: 0, failed: 0 })
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
    expect(answer).toEqual({ deleted: true, queued: 0, failed: 0 })
    expect(portal.control.stats().approvals[ids[0]!]).toBe(1)
    expect(portal.control.getRequest(ids[1]!)).toBeNull()
    const log = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(log.map((e) => e.outcome)).toEqual(['done', 'done'])
  })
})
