import { z } from 'zod'
import { outboxStates } from '../../../shared/domain'
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
      reason: z.enum([
        'approved-elsewhere',
        'removed-elsewhere',
        'already-removed',
        'response-lost'
      ]),
      at: z.string()
    })
    .nullable(),
  label: z.object({ developerEmail: z.string().nullable(), catalogueName: z.string().nullable() }),
  nextAttemptAt: z.string().nullable(),
  verifyAfter: z.number().nullable(),
  holdUntil: z.number().nullable().optional()
})

/** Reads the queue, in creation order. Entries that fail validation are logged and skipped. */
export function loadItems(store: KeyValueStore, logger?: Logger): StoredOutboxItem[] {
  const raw = store.get<unknown>(ITEMS_KEY)
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    logger?.error('Outbox store holds no item list; starting empty', { type: typeof raw })
    return []
  }
  const items: StoredOutboxItem[] = []
  for (const entry of raw) {
    const parsed = storedItemSchema.safeParse(entry)
    if (parsed.success) items.push(parsed.data)
    else
      logger?.error('Skipping an unreadable outbox entry', {
        issue: parsed.error.issues[0]?.message
      })
  }
  return items
}

/** Writes the whole queue in one store write. */
export function saveItems(store: KeyValueStore, items: Iterable<StoredOutboxItem>): void {
  store.set(ITEMS_KEY, [...items])
}
