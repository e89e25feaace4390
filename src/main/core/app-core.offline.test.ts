import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { OutboxItem } from '../../shared/domain'
import type { AppCore } from './app-core-types'
import { createConfStoreFactory } from './storage/conf-store'
import {
  addProfile,
  firstPoll,
  reconnect,
  started,
  stopAll,
  waitFor,
  type Harness
} from './app-core.test-harness'

const seedNow = Date.parse('2025-03-01T12:00:00Z')
let portal: RunningEmulator

beforeAll(async () => {
  portal = await startEmulator({
    port: 0,
    secret: 'offline-test-secret-77c1',
    seed: 11,
    seedPending: 10,
    seedApproved: 2,
    seedNow
  })
})
afterAll(() => portal.close())
beforeEach(() => {
  portal.control.clearFaults()
  portal.control.reset()
})
afterEach(stopAll)

/** A started core with one profile whose first poll has filled the cache. */
async function withProfile(harness?: Harness) {
  const h = harness ?? (await started())
  const profile = await addProfile(h.core, portal, 'Portal A')
  await firstPoll(h.core, profile.id)
  const pending = await h.core.handlers['requests:list']({
    profileId: profile.id,
    status: 'pending'
  })
  const token = pending.items.find((r) => r.catalogue?.authType === 'authToken')
  if (!token) throw new Error('the seed has no pending authToken request')
  const other = pending.items.find((r) => r.id !== token.id)!
  return { ...h, profile, token, other }
}

const outboxItems = (core: AppCore) => core.handlers['outbox:list'](undefined)

/** Waits until every outbox item has left the active states; answers them. */
function allSettled(core: AppCore): Promise<OutboxItem[]> {
  return waitFor('every queued action to settle', async () => {
    const items = await outboxItems(core)
    return items.every((item) => !['queued', 'sending'].includes(item.state)) && items
  })
}

describe('AppCore offline: every decision goes through the durable outbox', () => {
  it('queues an approve and a decline while the portal is offline, shows them queued, and sends both exactly once when it is back', async () => {
    const { core, profile, token, other, pushed } = await withProfile()
    portal.control.setFaults({ offline: true })

    const approval = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: token.id
    })
    const decline = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: other.id,
      reason: 'Not a customer'
    })
    expect(approval).toEqual({
      opId: expect.any(String),
      state: 'queued',
      keyId: null,
      message: 'Portal unreachable: approval queued, it will be sent when Portal A is back.'
    })
    expect(decline).toMatchObject({
      state: 'queued',
      keyId: null,
      message: 'Portal unreachable: decline queued, it will be sent when Portal A is back.'
    })

    const queued = await outboxItems(core)
    expect(queued.map((item) => [item.opId, item.kind, item.state, item.lastError?.code])).toEqual([
      [approval.opId, 'approve', 'queued', 'OFFLINE'],
      [decline.opId, 'decline', 'queued', 'OFFLINE']
    ])
    expect(queued[0]!.label).toEqual({
      developerEmail: token.developer.email,
      catalogueName: token.catalogue?.name
    })
    expect(pushed('outbox:changed').at(-1)).toEqual(queued)

    const cached = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(cached.sources[0]).toMatchObject({ stale: true, error: { code: 'OFFLINE' } })
    expect(cached.items.find((r) => r.id === token.id)?.queued).toEqual({
      opId: approval.opId,
      kind: 'approve',
      state: 'queued'
    })
    expect(cached.items.find((r) => r.id === other.id)?.queued).toEqual({
      opId: decline.opId,
      kind: 'decline',
      state: 'queued'
    })
    const [summary] = await core.handlers['profiles:list'](undefined)
    expect(summary?.connectivity.state).toBe('offline')
    expect(
      (await core.handlers['decisions:list']({ profileId: profile.id })).map((e) => [
        e.opId,
        e.outcome,
        e.reason,
        e.by
      ])
    ).toEqual([
      [decline.opId, 'queued', 'Not a customer', 'test-admin'],
      [approval.opId, 'queued', null, 'test-admin']
    ])
    expect(portal.control.stats().approvals[token.id]).toBeUndefined()

    portal.control.clearFaults()
    await reconnect(core, profile.id)
    const settled = await allSettled(core)
    expect(settled.map((item) => [item.opId, item.state, item.attempts])).toEqual([
      [approval.opId, 'done', 1],
      [decline.opId, 'done', 1]
    ])
    const stats = portal.control.stats()
    expect(stats.approvals[token.id]).toBe(1)
    expect(stats.deletes[other.id]).toBe(1)
    expect(stats.deletesOfApproved).toBe(0)
    expect(portal.control.getRequest(other.id)).toBeNull()

    // Sent in the background: the renderer hears "key ready" and may show the key once.
    const notices = await waitFor('keys:changed with the issued key', () =>
      pushed('keys:changed').find((list) => list.some((n) => n.requestId === token.id))
    )
    const notice = notices.find((n) => n.requestId === token.id)!
    expect(notice).toMatchObject({
      profileId: profile.id,
      developerEmail: token.developer.email,
      catalogueName: token.catalogue?.name
    })
    const revealed = await core.handlers['keys:reveal']({ keyId: notice.id })
    expect(revealed).toEqual({
      kind: 'key',
      rawKey: portal.control.issuedKeys(token.id)[0]!.response.RawKey
    })
    expect(
      (await core.handlers['decisions:list']({ profileId: profile.id })).map((e) => e.outcome)
    ).toEqual(['done', 'done'])
    const after = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    expect(after.items.map((r) => r.id)).not.toContain(token.id)
    expect(after.items.map((r) => r.id)).not.toContain(other.id)
  })

  it('ends a queued decline as a conflict when a rival admin approved the request meanwhile, and notifies', async () => {
    const { core, profile, other, notifier, pushed } = await withProfile()
    portal.control.setFaults({ offline: true })
    const decline = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: other.id
    })
    expect(decline.state).toBe('queued')
    portal.control.approveDirectly(other.id)

    portal.control.clearFaults()
    await reconnect(core, profile.id)
    const [item] = await allSettled(core)
    expect(item).toMatchObject({
      opId: decline.opId,
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' },
      lastError: { code: 'CONFLICT' }
    })
    expect(item!.lastError!.message).toMatch(/Keygate never deletes an approved request/)
    expect(portal.control.stats().deletes[other.id]).toBeUndefined()
    expect(portal.control.getRequest(other.id)).toMatchObject({ approved: true })
    expect((await core.handlers['decisions:list']({ profileId: profile.id }))[0]?.outcome).toBe(
      'conflict'
    )

    const problem = await waitFor('the replay-problem notification', () =>
      notifier.shown.find((n) => n.title === '1 queued action on Portal A needs attention')
    )
    expect(problem.body).toBe(
      `Decline ${other.developer.email} — ${other.catalogue?.name}: approved elsewhere`
    )
    problem.onClick()
    expect(pushed('notification:clicked')).toEqual([{ profileId: profile.id, requestId: other.id }])
  })

  it('cancels a queued action: nothing is sent when the portal is back, and the log says so', async () => {
    const { core, profile, other } = await withProfile()
    portal.control.setFaults({ offline: true })
    const decline = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: other.id
    })
    expect(await core.handlers['outbox:cancel']({ opId: decline.opId })).toBeNull()
    portal.control.clearFaults()
    await reconnect(core, profile.id)
    expect((await outboxItems(core)).map((item) => item.state)).toEqual(['cancelled'])
    await core.handlers['outbox:retry']({ opId: decline.opId }).then(
      () => expect.fail('a cancelled action cannot be retried'),
      (e: unknown) => expect(e).toMatchObject({ error: { code: 'CONFLICT' } })
    )
    expect(portal.control.stats().deletes[other.id]).toBeUndefined()
    expect((await core.handlers['decisions:list']({ profileId: profile.id }))[0]?.outcome).toBe(
      'cancelled'
    )
  })

  it('a new core on the same store folder recovers queued actions and sends each exactly once', async () => {
    const first = await withProfile()
    portal.control.setFaults({ offline: true })
    const approval = await first.core.handlers['requests:approve']({
      profileId: first.profile.id,
      requestId: first.token.id
    })
    const decline = await first.core.handlers['requests:decline']({
      profileId: first.profile.id,
      requestId: first.other.id
    })
    expect([approval.state, decline.state]).toEqual(['queued', 'queued'])
    await first.core.stop()

    portal.control.clearFaults()
    const second = await started({ dir: first.dir, credentials: first.credentials })
    expect((await outboxItems(second.core)).map((item) => item.opId)).toEqual([
      approval.opId,
      decline.opId
    ])
    await reconnect(second.core, first.profile.id)
    const settled = await allSettled(second.core)
    expect(settled.map((item) => [item.opId, item.state])).toEqual([
      [approval.opId, 'done'],
      [decline.opId, 'done']
    ])
    const stats = portal.control.stats()
    expect(stats.approvals[first.token.id]).toBe(1)
    expect(stats.deletes[first.other.id]).toBe(1)
    expect(stats.deletesOfApproved).toBe(0)
    const notices = await waitFor('the key in the new core', async () => {
      const list = await second.core.handlers['keys:list'](undefined)
      return list.length > 0 && list
    })
    expect(notices).toEqual([expect.objectContaining({ requestId: first.token.id })])
    expect(
      (await second.core.handlers['decisions:list']({ profileId: first.profile.id })).map((e) => [
        e.opId,
        e.outcome,
        e.by
      ])
    ).toEqual([
      [decline.opId, 'done', 'test-admin'],
      [approval.opId, 'done', 'test-admin']
    ])
  })

  it('a restart that prunes a finished action has its outcome in the decision log file first', async () => {
    const first = await withProfile()
    const approval = await first.core.handlers['requests:approve']({
      profileId: first.profile.id,
      requestId: first.token.id
    })
    expect(approval.state).toBe('done')
    await first.core.stop()
    // As a crash inside the log's one-second batching would leave the files, eight days ago.
    const files = createConfStoreFactory(first.dir)
    files('decisions').delete(first.profile.id)
    const [item] = files('outbox').get<OutboxItem[]>('items')!
    const finishedAt = new Date(Date.now() - 8 * 24 * 60 * 60_000).toISOString()
    files('outbox').set('items', [{ ...item, updatedAt: finishedAt }])

    const second = await started({ dir: first.dir, credentials: first.credentials })
    expect(await outboxItems(second.core)).toEqual([])
    // Read straight after start, before the log's own batching delay could have written it.
    const reopened = createConfStoreFactory(first.dir)
    expect(reopened('outbox').get('items')).toEqual([])
    expect(reopened('decisions').get(first.profile.id)).toEqual([
      expect.objectContaining({ opId: approval.opId, outcome: 'done', by: 'test-admin' })
    ])
  })

  it('announces new requests once per poll, and a click on the notification opens the newest', async () => {
    const { core, profile, notifier, pushed } = await withProfile()
    expect(notifier.shown).toEqual([])
    const ids = portal.control.generatePending(3)

    const view = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(view.items.slice(0, 3).map((r) => r.id)).toEqual([...ids].reverse())
    await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(notifier.shown.map((n) => n.title)).toEqual(['3 new key requests on Portal A'])
    expect(notifier.shown[0]!.body.split('\n')).toHaveLength(3)

    notifier.shown[0]!.onClick()
    expect(pushed('notification:clicked')).toEqual([{ profileId: profile.id, requestId: ids[2] }])
  })
})
