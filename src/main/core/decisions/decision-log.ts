import { z } from 'zod'
import type { DecisionLogEntry } from '../../../shared/domain'
import { outboxStates } from '../../../shared/domain'
import type { KeyValueStore, Logger } from '../ports'

/** Oldest entries are dropped beyond this, so the file (rewritten on every write) stays small. */
const MAX_PER_PROFILE = 2000

const entrySchema = z.object({
  opId: z.string(),
  profileId: z.string(),
  requestId: z.string(),
  kind: z.enum(['approve', 'decline']),
  reason: z.string().nullable(),
  by: z.string(),
  decidedAt: z.string(),
  outcome: z.enum(outboxStates),
  developerEmail: z.string().nullable()
})

export interface DecisionLog {
  /** Adds an entry, or replaces the one with the same opId (its outcome moved on). */
  record(entry: DecisionLogEntry): void
  /** A profile's decisions, newest first. */
  list(profileId: string): DecisionLogEntry[]
  forgetProfile(profileId: string): void
}

/**
 * The local record of who decided what: the Dashboard keeps nothing for a decline, so this log
 * (the `decisions` store, one key per profile) is the only trace of one.
 */
export function createDecisionLog(store: KeyValueStore, logger: Logger): DecisionLog {
  const read = (profileId: string): DecisionLogEntry[] => {
    const raw = store.get<unknown>(profileId)
    if (!Array.isArray(raw)) return []
    const entries: DecisionLogEntry[] = []
    for (const item of raw) {
      const parsed = entrySchema.safeParse(item)
      if (parsed.success) entries.push(parsed.data)
      else logger.warn('Skipped an unreadable decision log entry', { profileId })
    }
    return entries
  }

  return {
    record(entry) {
      const entries = read(entry.profileId).filter((e) => e.opId !== entry.opId)
      entries.push(entry)
      store.set(entry.profileId, entries.slice(-MAX_PER_PROFILE))
    },
    list: (profileId) => read(profileId).reverse(),
    forgetProfile: (profileId) => store.delete(profileId)
  }
}
