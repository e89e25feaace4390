import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { OutboxItem } from '../../../shared/domain'
import { AppFailure, type ErrorCode } from '../../../shared/result'
import type { EnqueueInput, EnqueueOptions, StoredOutboxItem } from './outbox-types'
import { cancelledAfterUnknownError } from './messages'
import { isActive, iso, requestKey, toPublic, type OutboxQueue } from './queue'

// The user's commands on the queue: each writes the queue once when it changed an item; the
// facade (`outbox.ts`) reschedules.

const enqueueSchema = z.object({
  profileId: z.string().min(1).max(200),
  requestId: z.string().min(1).max(200),
  kind: z.enum(['approve', 'decline']),
  reason: z.string().max(2000).nullable().optional(),
  label: z
    .object({ developerEmail: z.string().nullable(), catalogueName: z.string().nullable() })
    .optional()
})

/** An Undo window longer than a day is a bug, not a choice. */
const holdSchema = z
  .number()
  .int()
  .min(0)
  .max(24 * 60 * 60_000)
  .optional()

const actionKey = (item: { profileId: string; requestId: string; kind: string }): string =>
  `${requestKey(item)}\u0000${item.kind}`

/**
 * Queues actions with one write. A kind a request already has active returns the existing item.
 * `holdMs` (Undo): nothing is sent before `sendAfter`, whatever flush asks. Returns the items,
 * and whether any was added.
 */
export function enqueueItems(
  queue: OutboxQueue,
  now: number,
  inputs: readonly EnqueueInput[],
  options: EnqueueOptions
): { items: OutboxItem[]; added: boolean } {
  const parsed = inputs.map((input) => {
    const result = enqueueSchema.safeParse(input)
    if (!result.success) {
      throw new AppFailure(
        'VALIDATION',
        `Invalid outbox action: ${result.error.issues[0]?.message}`
      )
    }
    return result.data
  })
  const hold = holdSchema.safeParse(options.holdMs)
  if (!hold.success) {
    throw new AppFailure('VALIDATION', `Invalid undo delay: ${hold.error.issues[0]?.message}`)
  }
  const sendAfter = hold.data ? iso(now + hold.data) : null
  const added: StoredOutboxItem[] = []
  const active = new Map<string, StoredOutboxItem>()
  for (const item of queue.items.values()) if (isActive(item)) active.set(actionKey(item), item)
  const items = parsed.map((input) => {
    const existing = active.get(actionKey(input))
    if (existing) return existing
    const item: StoredOutboxItem = {
      opId: randomUUID(),
      profileId: input.profileId,
      requestId: input.requestId,
      kind: input.kind,
      reason: input.reason ?? null,
      createdAt: iso(now),
      updatedAt: iso(now),
      attempts: 0,
      state: 'queued',
      lastError: null,
      resolution: null,
      label: input.label ?? { developerEmail: null, catalogueName: null },
      nextAttemptAt: null,
      sendAfter,
      verifyAfter: null,
      holdUntil: null
    }
    queue.items.set(item.opId, item)
    active.set(actionKey(item), item)
    added.push(item)
    return item
  })
  if (added.length > 0) {
    try {
      queue.persist()
    } catch (thrown) {
      for (const item of added) queue.items.delete(item.opId)
      throw new AppFailure('INTERNAL', `Could not save the outbox: ${String(thrown)}`)
    }
  }
  return { items: items.map(toPublic), added: added.length > 0 }
}

/**
 * Tries an item again now: `failed` and `queued` items are (re)queued, a `sending` item waiting
 * to re-check an unknown outcome re-checks now. An Undo window (`sendAfter`) still holds.
 * Returns false for `needs-auth` (the caller re-queues the whole profile).
 */
export function retryItem(queue: OutboxQueue, opId: string): boolean {
  const item = queue.require(opId)
  const before = { ...item }
  if (queue.inFlight.has(opId)) {
    throw new AppFailure('CONFLICT', 'This action is being sent right now; wait for its outcome.')
  }
  switch (item.state) {
    case 'needs-auth':
      return false
    case 'failed':
    case 'queued':
      item.state = 'queued'
      item.lastError = null
      break
    case 'sending':
      break
    default:
      throw new AppFailure(
        'CONFLICT',
        `This action already ended (${item.state}); there is nothing to retry.`
      )
  }
  item.nextAttemptAt = null
  item.holdUntil = null
  queue.touch(item)
  persistChange(queue, [{ item, before }], 'retried')
  queue.itemFailures.delete(opId)
  return true
}

export interface CancelRefusal {
  opId: string
  code: 'CONFLICT' | 'NOT_FOUND'
  message: string
}

/**
 * Cancels `queued` items, held for Undo or not, with one write (the Undo of a batch); nothing is
 * sent for them. Answers why each of the others could not be cancelled.
 */
export function cancelItems(queue: OutboxQueue, opIds: readonly string[]): CancelRefusal[] {
  const refused: CancelRefusal[] = []
  const cancelled: Change[] = []
  for (const opId of opIds) {
    const item = queue.items.get(opId)
    if (!item) {
      refused.push({ opId, code: 'NOT_FOUND', message: 'That outbox action no longer exists.' })
    } else if (item.state !== 'queued' || queue.inFlight.has(opId)) {
      refused.push({
        opId,
        code: 'CONFLICT',
        message: `Only queued actions can be cancelled; this one is ${item.state}.`
      })
    } else if (item.verifyAfter !== null) {
      refused.push({
        opId,
        code: 'CONFLICT',
        message:
          'An earlier attempt of this action may have reached the Dashboard: Keygate must check the request before it can be cancelled.'
      })
    } else {
      const before = { ...item }
      item.state = 'cancelled'
      item.nextAttemptAt = null
      queue.touch(item)
      cancelled.push({ item, before })
    }
  }
  if (cancelled.length > 0) persistChange(queue, cancelled, 'cancelled')
  return refused
}

type Change = { item: StoredOutboxItem; before: StoredOutboxItem }

/**
 * Writes a user's change to items. If the disk refuses, each is put back as it was: what is sent
 * must match what the file holds and what the user was told.
 */
function persistChange(queue: OutboxQueue, changes: readonly Change[], verb: string): void {
  try {
    queue.persist()
  } catch (thrown) {
    for (const { item, before } of changes) Object.assign(item, before)
    const why = thrown instanceof Error ? thrown.message : String(thrown)
    throw new AppFailure('INTERNAL', `The action could not be ${verb}: ${why}`, true)
  }
}

/** Re-queues a profile's `needs-auth` items (only those parked by `only`, if given). */
export function requeueItems(queue: OutboxQueue, profileId: string, only?: ErrorCode): number {
  let count = 0
  for (const item of queue.items.values()) {
    if (item.profileId !== profileId || item.state !== 'needs-auth') continue
    if (only !== undefined && item.lastError?.code !== only) continue
    item.state = 'queued'
    item.lastError = null
    item.nextAttemptAt = null
    queue.touch(item)
    count += 1
  }
  queue.profileFailures.delete(profileId)
  if (count > 0) queue.persist()
  return count
}

/**
 * Cancels every item of a profile (it is being deleted) except those on the wire. One whose
 * earlier call may have reached the Dashboard cannot be checked any more, so it ends
 * `cancelled-outcome-unknown`: its decision must not read as if nothing was sent.
 */
export function cancelProfileItems(queue: OutboxQueue, profileId: string): void {
  const changes: Change[] = []
  for (const item of queue.items.values()) {
    if (item.profileId !== profileId || queue.inFlight.has(item.opId)) continue
    const unsure = item.verifyAfter !== null
    // A `sending` item sure of nothing is reserved by a running pass: it finishes on its own.
    const cancellable =
      item.state === 'queued' ||
      item.state === 'needs-auth' ||
      item.state === 'failed' ||
      (item.state === 'sending' && unsure)
    if (!cancellable) continue
    changes.push({ item, before: { ...item } })
    if (unsure) {
      const code = item.lastError?.code ?? 'INTERNAL'
      const error = cancelledAfterUnknownError(item.kind, item.label, code)
      queue.settle(item, {
        state: 'cancelled',
        resolution: 'cancelled-outcome-unknown',
        error
      })
    } else {
      item.state = 'cancelled'
      item.nextAttemptAt = null
      queue.touch(item)
    }
  }
  if (changes.length > 0) persistChange(queue, changes, 'cancelled')
}

/** Forgets every item of a deleted profile; its waiters resolve with the item `cancelled`. */
export function dropProfileItems(queue: OutboxQueue, profileId: string): number {
  const dropped = [...queue.items.values()].filter((item) => item.profileId === profileId)
  queue.profileFailures.delete(profileId)
  if (dropped.length === 0) return 0
  for (const item of dropped) {
    queue.items.delete(item.opId)
    queue.itemFailures.delete(item.opId)
  }
  queue.persist()
  for (const item of dropped) {
    if (!isActive(item)) continue
    item.state = 'cancelled'
    item.nextAttemptAt = null
    queue.touch(item)
    queue.notifyWaiters(item.opId)
  }
  return dropped.length
}
