import { z } from 'zod'
import type {
  DecisionLogEntry,
  KeyRequest,
  OutboxItem,
  RemovedPortal
} from '../../../shared/domain'
import { outboxResolutionReasons, outboxStates } from '../../../shared/domain'
import { systemClock, type Clock, type KeyValueStore, type Logger } from '../ports'

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
  developerEmail: z.string().nullable(),
  policyNames: z.array(z.string()).optional(),
  catalogueName: z.string().nullable().optional(),
  forApi: z.string().nullable().optional(),
  resolution: z
    .object({ reason: z.enum(outboxResolutionReasons), at: z.string() })
    .nullable()
    .optional(),
  portalRemoved: z.object({ name: z.string(), at: z.string() }).optional()
})

/**
 * The log entry for an outbox action: decided by `by` when it was queued; `request`, when the
 * request is still listed, gives the policy, catalogue and API names the export and log show.
 */
export function decisionFor(
  item: OutboxItem,
  by: string,
  request: KeyRequest | null = null
): DecisionLogEntry {
  const names = request && {
    policyNames: request.policies.map((policy) => policy.name ?? policy.id),
    catalogueName: request.catalogue?.name ?? item.label.catalogueName,
    forApi: request.details.forApi
  }
  return {
    ...names,
    opId: item.opId,
    profileId: item.profileId,
    requestId: item.requestId,
    kind: item.kind,
    reason: item.reason,
    by,
    decidedAt: item.createdAt,
    outcome: item.state,
    ...(item.resolution && { resolution: item.resolution }),
    developerEmail: item.label.developerEmail
  }
}

export interface DecisionLog {
  /**
   * Adds entries, or moves on the outcome of those already recorded under the same opId (who,
   * when and why stay as first recorded). Written to the store shortly after, in one batch.
   */
  record(entries: readonly DecisionLogEntry[]): void
  /** A profile's decisions, newest first. */
  list(profileId: string): DecisionLogEntry[]
  /**
   * The profile was deleted: its entries stay (the only record of its declines), each marked
   * with the portal's name and when it went, and are written at once.
   */
  markRemoved(profileId: string, name: string): void
  /**
   * The portals whose logs were marked removed, by name. Read from every log in the store, so
   * portals deleted in an earlier run are found too; whether one has a profile again (an id
   * reused) is for the caller to check.
   */
  removedPortals(): RemovedPortal[]
  /** Writes pending changes now (on quit). */
  flush(): void
}

export interface DecisionLogOptions {
  store: KeyValueStore
  logger: Logger
  clock?: Clock
  /**
   * Changes within this delay share one store write (default 1 s). Every entry derives from an
   * outbox item, which is durable before it is sent, so a crash inside the delay loses nothing
   * the next start cannot record again from the outbox.
   */
  flushDelayMs?: number
}

/**
 * The local record of who decided what: the Dashboard keeps nothing for a decline, so this log
 * (the `decisions` store, one key per profile) is the only trace of one. Each profile's entries
 * are read once and kept in memory, oldest first by decision time; this log is the store's only
 * writer, and the store rewrites the whole file per write, so writes are batched.
 */
export function createDecisionLog(options: DecisionLogOptions): DecisionLog {
  const { store, logger } = options
  const clock = options.clock ?? systemClock
  const loaded = new Map<string, DecisionLogEntry[]>()
  const dirty = new Set<string>()
  let cancelTimer: (() => void) | null = null

  const read = (profileId: string): DecisionLogEntry[] => {
    const cached = loaded.get(profileId)
    if (cached) return cached
    const raw = store.get<unknown>(profileId)
    const entries: DecisionLogEntry[] = []
    for (const item of Array.isArray(raw) ? raw : []) {
      const parsed = entrySchema.safeParse(item)
      if (parsed.success) entries.push(parsed.data)
      else logger.warn('Skipped an unreadable decision log entry', { profileId })
    }
    entries.sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0))
    loaded.set(profileId, entries)
    return entries
  }

  /** Adds in decision-time order; a full log takes nothing older than all it keeps. */
  const insert = (list: DecisionLogEntry[], entry: DecisionLogEntry): boolean => {
    if (list.length >= MAX_PER_PROFILE && entry.decidedAt < list[0]!.decidedAt) return false
    let at = list.length
    while (at > 0 && list[at - 1]!.decidedAt > entry.decidedAt) at -= 1
    list.splice(at, 0, { ...entry })
    if (list.length > MAX_PER_PROFILE) list.splice(0, list.length - MAX_PER_PROFILE)
    return true
  }

  const flush = (): void => {
    cancelTimer?.()
    cancelTimer = null
    for (const profileId of [...dirty]) {
      try {
        store.set(profileId, read(profileId))
        dirty.delete(profileId)
      } catch (e) {
        logger.error('Could not write the decision log', { profileId, error: e })
      }
    }
  }

  return {
    record(entries) {
      for (const entry of entries) {
        const list = read(entry.profileId)
        const existing = list.find((e) => e.opId === entry.opId)
        if (existing) {
          // Names are learnt once: a later record (the request gone from the list) has none.
          const named = existing.policyNames === undefined && entry.policyNames !== undefined
          const resolved = existing.resolution?.reason !== entry.resolution?.reason
          if (existing.outcome === entry.outcome && !named && !resolved) continue
          existing.outcome = entry.outcome
          if (entry.resolution) existing.resolution = entry.resolution
          else delete existing.resolution
          if (named) {
            existing.policyNames = entry.policyNames
            existing.catalogueName = entry.catalogueName
            existing.forApi = entry.forApi
          }
        } else if (!insert(list, entry)) {
          continue
        }
        dirty.add(entry.profileId)
      }
      if (dirty.size > 0 && !cancelTimer) {
        cancelTimer = clock.setTimeout(flush, options.flushDelayMs ?? 1000)
      }
    },
    list: (profileId) =>
      read(profileId)
        .map((entry) => ({ ...entry }))
        .reverse(),
    markRemoved(profileId, name) {
      const at = new Date(clock.now()).toISOString()
      for (const entry of read(profileId)) entry.portalRemoved = { name, at }
      dirty.add(profileId)
      flush()
    },
    removedPortals() {
      const removed: RemovedPortal[] = []
      for (const profileId of store.keys()) {
        // An action settling as its portal went may be recorded after the mark, without one.
        const mark = read(profileId).find((entry) => entry.portalRemoved)?.portalRemoved
        if (mark) removed.push({ profileId, name: mark.name, removedAt: mark.at })
      }
      return removed.sort((a, b) => a.name.localeCompare(b.name))
    },
    flush
  }
}
