import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { FakeClock, settle } from '../testing/fake-clock'
import { FakeStore } from '../testing/fake-store'
import { RecordingLogger } from '../testing/recording-logger'
import { enqueueItems } from './commands'
import { interruptedError } from './messages'
import type { StoredOutboxItem } from './outbox-types'
import { iso, OutboxQueue } from './queue'

const offline: AppError = { code: 'OFFLINE', message: 'Portal unreachable.', retryable: true }

function setup() {
  const clock = new FakeClock()
  const logger = new RecordingLogger()
  const queue = new OutboxQueue(new FakeStore(), clock, logger)
  let count = 0
  const add = (fields: Partial<StoredOutboxItem> = {}): StoredOutboxItem => {
    count += 1
    const { profileId = 'p1', requestId = `r${count}`, kind = 'approve', ...rest } = fields
    const [queued] = enqueueItems(queue, clock.now(), [{ profileId, requestId, kind }], {}).items
    return Object.assign(queue.require(queued!.opId), rest)
  }
  const due = (options: Partial<{ sendingOnly: boolean; ignoreBackoff: boolean }> = {}) =>
    queue
      .dueHeads('p1', { sendingOnly: false, ignoreBackoff: false, graceMs: 15_000, ...options })
      .map((item) => item.opId)
  return { clock, logger, queue, add, due }
}

/** What a waiter has heard so far, without moving the clock. */
function heard(waiting: Promise<OutboxItem>): { item: OutboxItem | null } {
  const seen: { item: OutboxItem | null } = { item: null }
  void waiting.then((item) => (seen.item = item))
  return seen
}

describe('OutboxQueue queries', () => {
  it('counts per profile what is still to send, what failed, and what may have reached the Dashboard', () => {
    const { queue, add } = setup()
    add({ state: 'queued' })
    add({ state: 'sending', verifyAfter: 1 })
    add({ state: 'needs-auth' })
    add({ state: 'failed', verifyAfter: 1 })
    add({ state: 'failed' })
    add({ state: 'done' })
    add({ state: 'cancelled' })
    // `uncertain` is a part of the other two (ProfileDeleteResult): an ended item counts nowhere.
    add({ state: 'conflict', verifyAfter: 1 })
    add({ profileId: 'p2', state: 'failed', verifyAfter: 1 })
    add({ profileId: 'p2', state: 'queued' })

    expect(queue.pendingCounts('p1')).toEqual({ queued: 3, failed: 2, uncertain: 2 })
    expect(queue.pendingCounts('p2')).toEqual({ queued: 1, failed: 1, uncertain: 1 })
    expect(queue.pendingCounts('p3')).toEqual({ queued: 0, failed: 0, uncertain: 0 })
  })

  it('a parked head or one on the wire is not due, and one on the wire keeps its state', () => {
    const { queue, add, due } = setup()
    add({ state: 'needs-auth' })
    const onTheWire = add({ state: 'sending' })
    const waiting = add({ state: 'queued' })
    queue.inFlight.add(onTheWire.opId)
    expect(due()).toEqual([waiting.opId])
    expect(onTheWire).toMatchObject({ verifyAfter: null, lastError: null })
  })

  it('a reconcile pass takes only the heads left sending', () => {
    const { add, due } = setup()
    add({ state: 'queued' })
    const sending = add({ state: 'sending', verifyAfter: 1 })
    expect(due({ sendingOnly: true })).toEqual([sending.opId])
  })

  it('gives a due head left sending without a deadline one, and says it was interrupted', () => {
    const { clock, add, due } = setup()
    const left = add({ state: 'sending' })
    const checked = add({ state: 'sending', verifyAfter: clock.now() - 1, lastError: offline })
    expect(due()).toEqual([left.opId, checked.opId])
    expect(left).toMatchObject({ verifyAfter: clock.now() + 15_000, lastError: interruptedError })
    expect(checked).toMatchObject({ verifyAfter: clock.now() - 1, lastError: offline })
  })

  it('flushes every profile with a head to work on, not one whose actions wait for a new secret', () => {
    const { queue, add } = setup()
    add({ profileId: 'parked', state: 'needs-auth' })
    add({ profileId: 'p1', state: 'queued' })
    expect(queue.profilesWithWork()).toEqual(['p1'])
  })

  it('wakes for the earliest head, an item waiting for the later of its backoff and Undo window', () => {
    const { clock, queue, add } = setup()
    const now = clock.now()
    add({ nextAttemptAt: iso(now + 1_000), sendAfter: iso(now + 5_000) })
    expect(queue.nextWakeAt()).toBe(now + 5_000)
    add({ nextAttemptAt: iso(now + 9_000) })
    expect(queue.nextWakeAt()).toBe(now + 5_000)
    add({ state: 'queued' })
    expect(queue.nextWakeAt()).toBe(now)
  })

  it('tells a finished head unblocked its request only when another action of it waits', () => {
    const { queue, add } = setup()
    const approved = add({ requestId: 'r1', state: 'done' })
    add({ requestId: 'other', state: 'queued' })
    expect(queue.unblockedAny([approved])).toBe(false)
    add({ requestId: 'r1', kind: 'decline', state: 'queued' })
    expect(queue.unblockedAny([approved])).toBe(true)
  })
})

describe('OutboxQueue updates', () => {
  it('a wait a reconnect may shorten leaves the item free of any hold', () => {
    const { clock, queue, add, due } = setup()
    const item = add({ state: 'sending' })
    queue.waitUntil(item, { at: clock.now() + 60_000, hold: false, error: offline })
    expect(due()).toEqual([])
    expect(due({ ignoreBackoff: true })).toEqual([item.opId])
  })

  it('a held wait keeps an item whose earlier call may have landed sending, to be re-checked', () => {
    const { clock, queue, add } = setup()
    const unsure = add({ state: 'sending', verifyAfter: clock.now() + 15_000 })
    const unsent = add({ state: 'sending' })
    for (const item of [unsure, unsent]) {
      queue.waitUntil(item, { at: clock.now() + 30_000, hold: true, error: offline })
    }
    expect(unsure.state).toBe('sending')
    expect(unsent.state).toBe('queued')
  })

  it('an ended item drops its re-check deadline; a failed or parked one keeps it', () => {
    const { queue, add } = setup()
    const ended = add({ state: 'sending', verifyAfter: 1 })
    const failed = add({ state: 'sending', verifyAfter: 1 })
    queue.settle(ended, { state: 'done', resolution: null, error: null })
    queue.settle(failed, { state: 'failed', resolution: null, error: offline })
    expect(ended.verifyAfter).toBeNull()
    expect(failed.verifyAfter).toBe(1)
  })

  it('logs how an action ended, with the code of the error it ended with', () => {
    const { logger, queue, add } = setup()
    const item = add({ state: 'sending' })
    queue.settle(item, { state: 'failed', resolution: null, error: offline })
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'Outbox action settled',
      data: {
        opId: item.opId,
        profileId: 'p1',
        requestId: item.requestId,
        kind: 'approve',
        state: 'failed',
        resolution: null,
        code: 'OFFLINE'
      }
    })
  })
})

describe('OutboxQueue waiters', () => {
  it('answers at once for an item that already has an outcome', async () => {
    const { clock, queue, add } = setup()
    const item = add({ state: 'done' })
    const seen = heard(queue.waitForSettled(item.opId, 60_000))
    await settle()
    expect(seen.item?.state).toBe('done')
    expect(clock.pending()).toBe(0)
  })

  it('a plain write wakes the waiters', async () => {
    const { queue, add } = setup()
    const item = add()
    const seen = heard(queue.waitForSettled(item.opId, 60_000))
    queue.settle(item, { state: 'done', resolution: null, error: null })
    queue.persist()
    await settle()
    expect(seen.item?.state).toBe('done')
  })

  it('a waiter that timed out leaves the others of its item listening', async () => {
    const { clock, queue, add } = setup()
    const item = add()
    const early = heard(queue.waitForSettled(item.opId, 1_000))
    const late = heard(queue.waitForSettled(item.opId, 60_000))
    await clock.advance(1_000)
    expect(early.item?.state).toBe('queued')
    queue.settle(item, { state: 'done', resolution: null, error: null })
    queue.persist()
    await settle()
    expect(late.item?.state).toBe('done')
  })

  it('an item on the wire has no outcome yet, even with an earlier error', async () => {
    const { queue, add } = setup()
    const item = add({ state: 'sending', lastError: offline })
    queue.inFlight.add(item.opId)
    const seen = heard(queue.waitForSettled(item.opId, 60_000))
    queue.persist()
    await settle()
    expect(seen.item).toBeNull()
    queue.inFlight.delete(item.opId)
    queue.settle(item, { state: 'done', resolution: null, error: null })
    queue.persist()
    await settle()
    expect(seen.item?.state).toBe('done')
  })

  it('refuses to wait for an action it does not hold, saying so', async () => {
    const { queue } = setup()
    await expect(queue.waitForSettled('nope', 1)).rejects.toMatchObject({
      error: { code: 'NOT_FOUND', message: 'That outbox action no longer exists.' }
    })
  })
})
