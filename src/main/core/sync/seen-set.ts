import { z } from 'zod'
import type { Clock, KeyValueStore, Logger } from '../ports'
import { DeferredWriter } from './deferred-writer'

/** The store key holding every profile's seen ids. */
export const SEEN_SET_KEY = 'seen'
const FORMAT_VERSION = 1

/**
 * Ids kept after they leave the pending list. A glitch that returns an empty or partial list
 * must not make the next full list look new, so gone ids are dropped only beyond this margin.
 */
export const SEEN_RETAIN = 10_000

const seenFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  profiles: z.record(z.string(), z.array(z.string()))
})

export interface SeenSetOptions {
  store: KeyValueStore
  clock: Clock
  logger: Logger
  /** Default 2 s. A crash inside it can re-announce the requests of the last poll, nothing older. */
  flushDelayMs?: number
  retain?: number
}

export interface SeenDiff {
  /** Pending ids not announced before, in the order given. Empty when `seeded`. */
  newIds: string[]
  /** First list ever seen for this profile: its whole backlog was recorded without announcing. */
  seeded: boolean
}

/**
 * Pending request ids already announced, per profile, persisted so a restart does not announce
 * them again. Choice: the first successful poll of a profile seeds the set silently, so adding a
 * portal with a backlog of 300 requests does not raise "300 new key requests".
 */
export class SeenSet {
  /** Insertion-ordered, oldest first, so pruning drops the ids seen longest ago. */
  private readonly sets = new Map<string, Set<string>>()
  private readonly writer: DeferredWriter
  private readonly retain: number

  constructor(private readonly options: SeenSetOptions) {
    this.retain = options.retain ?? SEEN_RETAIN
    this.load()
    this.writer = new DeferredWriter({
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      key: SEEN_SET_KEY,
      delayMs: options.flushDelayMs ?? 2000,
      snapshot: () => ({
        version: FORMAT_VERSION,
        profiles: Object.fromEntries([...this.sets].map(([id, set]) => [id, [...set]]))
      })
    })
  }

  /**
   * Diffs the current pending ids against the set and records the new ones as seen. Costs one
   * lookup per id; the store is written only when an id was added or pruned.
   */
  update(profileId: string, pendingIds: readonly string[]): SeenDiff {
    const set = this.sets.get(profileId)
    if (!set) {
      this.sets.set(profileId, new Set(pendingIds))
      this.writer.markDirty()
      return { newIds: [], seeded: true }
    }
    const newIds: string[] = []
    for (const id of pendingIds) if (!set.has(id)) newIds.push(id)
    for (const id of newIds) set.add(id)
    const pruned = this.prune(set, pendingIds)
    if (newIds.length > 0 || pruned) this.writer.markDirty()
    return { newIds, seeded: false }
  }

  /** Whether this profile has a seen-set (its first list was recorded). */
  has(profileId: string): boolean {
    return this.sets.has(profileId)
  }

  /** Drops a removed profile's set. */
  remove(profileId: string): void {
    if (this.sets.delete(profileId)) this.writer.markDirty()
  }

  flush(): void {
    this.writer.flush()
  }

  private prune(set: Set<string>, pendingIds: readonly string[]): boolean {
    const limit = pendingIds.length + this.retain
    if (set.size <= limit) return false
    const pending = new Set(pendingIds)
    for (const id of set) {
      if (set.size <= limit) break
      if (!pending.has(id)) set.delete(id)
    }
    return true
  }

  private load(): void {
    const raw = this.options.store.get<unknown>(SEEN_SET_KEY)
    if (raw === undefined) return
    const file = seenFileSchema.safeParse(raw)
    if (!file.success) {
      this.options.logger.warn('Ignoring an unreadable seen-set; the next poll seeds it again')
      return
    }
    for (const [id, ids] of Object.entries(file.data.profiles)) this.sets.set(id, new Set(ids))
  }
}
