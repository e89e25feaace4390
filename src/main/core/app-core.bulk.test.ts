import { describe, expect, it } from 'vitest'
import { dispatchInvoke } from '../ipc/dispatch'
import {
  addProfile,
  createHarness,
  errorOf,
  firstPoll,
  started,
  useEmulator,
  waitFor,
  type Harness
} from './app-core.test-harness'
import { RecordingFileSaver } from './testing/recording-file-saver'

const portal = useEmulator({ secret: 'bulk-test-secret-41d2', seed: 11, seedPending: 40 })

async function pendingOf(h: Harness, profileId: string) {
  await firstPoll(h.core, profileId)
  return (await h.core.handlers['requests:list']({ profileId, status: 'pending' })).items
}

const settled = (h: Harness, opIds: string[]) =>
  waitFor('every item of the batch to settle', async () => {
    const items = await h.core.handlers['outbox:list'](undefined)
    const mine = items.filter((item) => opIds.includes(item.opId))
    return mine.every((item) => item.state === 'done') && mine
  })

describe('requests:decideMany', () => {
  it('queues a whole batch in one call that answers at once, and approves each request exactly once', async () => {
    const h = await started()
    const profile = await addProfile(h.core, portal(), 'Bulk')
    const pending = await pendingOf(h, profile.id)
    const refs = pending.slice(0, 25).map((r) => ({ profileId: profile.id, requestId: r.id }))

    const result = await h.core.handlers['requests:decideMany']({
      refs: [...refs, refs[0]!, { profileId: 'no-such-profile', requestId: 'r1' }],
      kind: 'approve'
    })
    expect(result.accepted.map((a) => a.requestId)).toEqual(refs.map((r) => r.requestId))
    expect(result.refused).toEqual([
      expect.objectContaining({ profileId: 'no-such-profile', message: expect.any(String) })
    ])
    expect(result.sendAfter).toBeNull()

    const again = await h.core.handlers['requests:decideMany']({
      refs: [refs[1]!],
      kind: 'decline'
    })
    expect(again.accepted).toEqual([])

    await settled(
      h,
      result.accepted.map((a) => a.opId)
    )
    const stats = portal().control.stats()
    for (const ref of refs) expect(stats.approvals[ref.requestId]).toBe(1)
    expect(Object.keys(stats.deletes)).toEqual([])
    // Each approval's key is held for the batch panel, none lost.
    const keys = await h.core.handlers['keys:list'](undefined)
    expect(new Set(keys.map((k) => k.requestId))).toEqual(new Set(refs.map((r) => r.requestId)))
  })

  it('refuses a request that already has an action waiting, naming it', async () => {
    const h = await started()
    await h.core.handlers['settings:update']({ undoSeconds: 30 })
    const profile = await addProfile(h.core, portal(), 'Bulk')
    const [first] = await pendingOf(h, profile.id)
    const ref = { profileId: profile.id, requestId: first!.id }
    await h.core.handlers['requests:decideMany']({ refs: [ref], kind: 'approve' })
    const again = await h.core.handlers['requests:decideMany']({ refs: [ref], kind: 'decline' })
    expect(again.accepted).toEqual([])
    expect(again.refused).toEqual([{ ...ref, message: expect.stringMatching(/^Already queued/) }])
  })

  it('caps a batch in the contract: over 1,000 requests is a validation error before anything is queued', async () => {
    const h = await started()
    const refs = Array.from({ length: 1001 }, (_, i) => ({ profileId: 'p', requestId: `r${i}` }))
    const answer = await dispatchInvoke(h.core.handlers, 'requests:decideMany', {
      refs,
      kind: 'approve'
    })
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await h.core.handlers['outbox:list'](undefined)).toEqual([])
  })
})

describe('undo window', () => {
  it('holds a batch for undoSeconds; Undo cancels all of it and nothing reaches the portal', async () => {
    const h = await started()
    expect(await h.core.handlers['settings:update']({ undoSeconds: 30 })).toEqual({
      undoSeconds: 30
    })
    const profile = await addProfile(h.core, portal(), 'Bulk')
    const refs = (await pendingOf(h, profile.id))
      .slice(0, 10)
      .map((r) => ({ profileId: profile.id, requestId: r.id }))

    const batch = await h.core.handlers['requests:decideMany']({
      refs,
      kind: 'decline',
      reason: 'duplicate team'
    })
    expect(batch.accepted).toHaveLength(10)
    expect(batch.sendAfter).not.toBeNull()
    // A reconnect-style flush does not end the window.
    await h.core.handlers['profiles:update']({ id: profile.id, patch: { name: 'Bulk 2' } })

    const undone = await h.core.handlers['requests:undo']({ refs })
    expect(undone).toEqual({ cancelled: 10, refused: [] })
    const items = await h.core.handlers['outbox:list'](undefined)
    expect(items.map((item) => item.state)).toEqual(Array(10).fill('cancelled'))
    const stats = portal().control.stats()
    expect(stats.deletes).toEqual({})
    expect(stats.pending).toBe(40)

    const nothing = await h.core.handlers['requests:undo']({ refs: [refs[0]!] })
    expect(nothing.cancelled).toBe(0)
    expect(nothing.refused[0]!.message).toMatch(/Nothing to undo/)
  })

  it('keeps the undo window across a restart: a quit inside it neither drops nor sends early', async () => {
    const h = await started()
    await h.core.handlers['settings:update']({ undoSeconds: 30 })
    const profile = await addProfile(h.core, portal(), 'Bulk')
    const [first] = await pendingOf(h, profile.id)
    const ref = { profileId: profile.id, requestId: first!.id }
    const batch = await h.core.handlers['requests:decideMany']({ refs: [ref], kind: 'approve' })
    await h.core.stop()

    const next = createHarness({ dir: h.dir, credentials: h.credentials })
    await next.core.start()
    expect(await next.core.handlers['settings:get'](undefined)).toEqual({ undoSeconds: 30 })
    const [item] = await next.core.handlers['outbox:list'](undefined)
    expect(item).toMatchObject({ opId: batch.accepted[0]!.opId, state: 'queued' })
    expect(portal().control.stats().approvals).toEqual({})
    expect(await next.core.handlers['requests:undo']({ refs: [ref] })).toEqual({
      cancelled: 1,
      refused: []
    })
  })

  it('makes a single approve wait out the window and still answer with its key', async () => {
    const h = await started({ tuning: { undoSeconds: 1 } })
    const profile = await addProfile(h.core, portal(), 'Bulk')
    const request = (await pendingOf(h, profile.id)).find(
      (r) => r.catalogue?.authType === 'authToken'
    )
    const outcome = await h.core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: request!.id
    })
    expect(outcome.state).toBe('done')
    expect(outcome.keyId).not.toBeNull()
  })
})

describe('settings', () => {
  it('defaults the undo window to 5 s and refuses values outside 0..30', async () => {
    const h = createHarness({ tuning: { undoSeconds: undefined } })
    expect(await h.core.handlers['settings:get'](undefined)).toEqual({ undoSeconds: 5 })
    const tooLong = await dispatchInvoke(h.core.handlers, 'settings:update', { undoSeconds: 31 })
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const unknown = await dispatchInvoke(h.core.handlers, 'settings:update', { bogus: 1 })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await h.core.handlers['settings:get'](undefined)).toEqual({ undoSeconds: 5 })
  })
})

describe('keys:export', () => {
  async function bulkApproved(h: Harness) {
    const profile = await addProfile(h.core, portal(), 'Bulk')
    const refs = (await pendingOf(h, profile.id))
      .filter((r) => r.catalogue?.authType === 'authToken')
      .slice(0, 3)
      .map((r) => ({ profileId: profile.id, requestId: r.id }))
    const batch = await h.core.handlers['requests:decideMany']({ refs, kind: 'approve' })
    await settled(
      h,
      batch.accepted.map((a) => a.opId)
    )
    const keys = await waitFor('the keys of the batch', async () => {
      const held = await h.core.handlers['keys:list'](undefined)
      return held.length === refs.length && held
    })
    return { refs, keyIds: keys.map((k) => k.id) }
  }

  it('saves the keys of a batch only to the file the admin chose, as CSV or JSON', async () => {
    const saver = new RecordingFileSaver()
    const h = await started({ fileSaver: saver })
    const { refs, keyIds } = await bulkApproved(h)

    const csv = await h.core.handlers['keys:export']({ keyIds, format: 'csv' })
    expect(csv).toEqual({ saved: true, path: '/home/admin/keys.csv', count: 3 })
    const [request] = saver.requests
    expect(request!.defaultName).toMatch(/^keygate-keys-\d{4}-\d{2}-\d{2}\.csv$/)
    const lines = request!.contents.trim().split('\r\n')
    expect(lines[0]).toBe(
      'portal,requestId,developerEmail,catalogue,issuedAt,kind,key,username,password,clientId,clientSecret'
    )
    for (const ref of refs) {
      const rawKey = String(portal().control.issuedKeys(ref.requestId)[0]!.response.RawKey)
      expect(request!.contents).toContain(rawKey)
    }

    saver.choice = 'cancel'
    expect(await h.core.handlers['keys:export']({ keyIds, format: 'json' })).toEqual({
      saved: false
    })
    const json = JSON.parse(saver.requests[1]!.contents) as { requestId: string }[]
    expect(json.map((row) => row.requestId).sort()).toEqual(refs.map((r) => r.requestId).sort())
  })

  it('fails with a way forward where no save dialog exists, and for a dismissed key', async () => {
    const h = await started()
    const { keyIds } = await bulkApproved(h)
    const noDialog = await errorOf(h.core.handlers['keys:export']({ keyIds, format: 'csv' }))
    expect(noDialog.message).toMatch(/copy the keys one by one/)

    const saver = new RecordingFileSaver()
    const other = await started({ fileSaver: saver })
    const gone = await errorOf(
      other.core.handlers['keys:export']({ keyIds: ['dismissed-key'], format: 'csv' })
    )
    expect(gone.code).toBe('NOT_FOUND')
    expect(saver.requests).toEqual([])
  })
})
