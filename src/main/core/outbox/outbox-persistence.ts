import { z } from 'zod'
import { outboxResolutionReasons, outboxStates } from '../../../shared/domain'
import { appErrorSchema } from '../../../shared/result'
import type { KeyValueStore, Logger } from '../ports'
import type { StoredOutboxItem } from './outbox-types'

const ITEMS_KEY = 'items'

const storedItemSchema = z.object({
  opId: z.string().min(1),
  profileId: z.string().min(1),
  requestId: z.string().min(1),
  kind: z.enum(['approve', 'decline']),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.number().int().nonnegative(),
  state: z.enum(outboxStates),
  lastError: appErrorSchema.nullable(),
  resolution: z
    .object({
      reason: z.enum(outboxResolutionReasons),
      at: z.string()
    })
    .nullable(),
  label: z.object({ developerEmail: z.string().nullable(), catalogueName: z.string().nullable() }),
  nextAttemptAt: z.string().nullable(),
  // Absent in entries written before the Undo window existed.
  sendAfter: z.string().nullable().default(null),
  verifyAfter: z.number().nullable(),
  holdUntil: z.number().nullable().optional()
})

/** What the store file holds: the items Keygate reads, and the entries it cannot. */
export interface LoadedItems {
  items: StoredOutboxItem[]
  /**
   * Entries that fail validation (written by a newer version, or damaged), kept exactly as
   * found and written back with every save: never dropped, never sent.
   */
  unreadable: unknown[]
}

/**
 * Deadlines are wall-clock times. When the file was last written later than the clock now says
 * (it went back across a restart), every time in it moves back by as much, so each item waits
 * what was left of its wait rather than hours more. Measured on the newest `updatedAt`, which is
 * when the file was last written, since a save writes every item but touches only some. A clock
 * that went forward only makes waits end early.
 */
function rebaseOnClockJump(items: StoredOutboxItem[], now: number): StoredOutboxItem[] {
  const newest = Math.max(...items.map((item) => Date.parse(item.updatedAt)))
  const shift = newest - now
  if (!(shift > 0)) return items
  const back = (at: number) => at - shift
  const backIso = (at: string) => new Date(Date.parse(at) - shift).toISOString()
  return items.map((item) => ({
    ...item,
    updatedAt: backIso(item.updatedAt),
    nextAttemptAt: item.nextAttemptAt === null ? null : backIso(item.nextAttemptAt),
    verifyAfter: item.verifyAfter === null ? null : back(item.verifyAfter),
    holdUntil:
      item.holdUntil === null || item.holdUntil === undefined
        ? item.holdUntil
        : back(item.holdUntil)
  }))
}

/**
 * Reads the queue, in creation order. Entries that fail validation are logged and kept aside.
 * With `now`, deadlines saved before the clock went back are moved back with it.
 */
export function loadItems(store: KeyValueStore, logger?: Logger, now?: number): LoadedItems {
  const raw = store.get<unknown>(ITEMS_KEY)
  if (raw === undefined) return { items: [], unreadable: [] }
  if (!Array.isArray(raw)) {
    logger?.error('Outbox store holds no item list; starting empty', { type: typeof raw })
    return { items: [], unreadable: [] }
  }
  const items: StoredOutboxItem[] = []
  const unreadable: unknown[] = []
  for (const entry of raw) {
    const parsed = storedItemSchema.safeParse(entry)
    if (parsed.success) items.push(parsed.data)
    else {
      unreadable.push(entry)
      logger?.error('Keeping an outbox entry this version cannot read; it is not sent', {
        issue: parsed.error.issues[0]?.message
      })
    }
  }
  return { items: now === undefined ? items : rebaseOnClockJump(items, now), unreadable }
}

/** Writes the whole queue in one store write, the entries it could not read included. */
export function saveItems(
  store: KeyValueStore,
  items: Iterable<StoredOutboxItem>,
  unreadable: readonly unknown[] = []
): void {
  store.set(ITEMS_KEY, [...items, ...unreadable])
}
