import { z } from 'zod'
import type { KeyRequest, ListSource, RequestListView, RequestStatus } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import type { Clock, KeyValueStore, Logger } from '../ports'
import { cachedRequestSchema, normalise, sameRequest } from './cached-request'
import { DeferredWriter } from './deferred-writer'

/** The store key holding every cached list (one key, so a flush is one file write). */
export const LIST_CACHE_KEY = 'lists'
const FORMAT_VERSION = 1

/** The queued outbox action to show on a request, or null; applied to cached and fresh lists. */
export type QueuedOverlay = (profileId: string, requestId: string) => KeyRequest['queued']

const cachedListSchema = z.object({ fetchedAt: z.string(), items: z.array(cachedRequestSchema) })
const cacheFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  profiles: z.record(z.string(), z.record(z.string(), z.unknown()))
})

interface ListData {
  /** Newest first. */
  items: KeyRequest[]
  /** `createdAt` in epoch ms per item (-Infinity when absent), for merging without re-parsing. */
  times: Float64Array
  /** Position of each id in `items`. */
  index: Map<string, number>
  fetchedAt: string
}

interface ListEntry {
  data: ListData | null
  /** Fetched successfully since this process started (a list loaded from disk is stale). */
  fresh: boolean
  /** A fetch was tried since this process started. */
  attempted: boolean
  error: AppError | null
}

export interface PutResult {
  /** The items differ from the cached ones (the store will be rewritten). */
  changed: boolean
  /** Anything a view shows changed: the items, or the list stopped being stale. */
  viewChanged: boolean
}

export interface ListCacheOptions {
  /** The `cache` store; read once here, then written only through a deferred writer. */
  store: KeyValueStore
  clock: Clock
  logger: Logger
  /**
   * Default 30 s. Changes within it share one write: the stores rewrite the whole file, which
   * for 10,000 cached requests costs over 100 ms. A crash loses at most this much freshness of
   * a cache that the next poll refills.
   */
  flushDelayMs?: number
}

/**
 * The last good pending and approved list per profile, kept in memory and persisted so the app
 * shows them offline, marked stale. Items are stored without the Dashboard's raw JSON. Unchanged
 * fetches cost one lookup and field comparison per request and no store write.
 */
export class ListCache {
  private readonly lists = new Map<string, Partial<Record<RequestStatus, ListEntry>>>()
  private readonly writer: DeferredWriter

  constructor(private readonly options: ListCacheOptions) {
    this.load()
    this.writer = new DeferredWriter({
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      key: LIST_CACHE_KEY,
      delayMs: options.flushDelayMs ?? 30_000,
      snapshot: () => this.snapshot()
    })
  }

  /**
   * Records a successful fetch. `items` may carry extra fields (a `RequestDetail`'s `raw`): they
   * are dropped. Items equal to the cached ones are kept as they are.
   */
  put(profileId: string, status: RequestStatus, items: readonly KeyRequest[]): PutResult {
    const entry = this.entry(profileId, status)
    const wasStale = !entry.fresh || entry.error !== null
    const fetchedAt = new Date(this.options.clock.now()).toISOString()
    entry.fresh = true
    entry.attempted = true
    entry.error = null
    const previous = entry.data
    if (!previous) {
      entry.data = buildList(
        items.map((item) => normalise(item, profileId)),
        fetchedAt
      )
      this.writer.markDirty()
      return { changed: true, viewChanged: true }
    }
    // One pass by id: requests equal to a cached one keep the cached object and its position.
    const kept = new Uint8Array(previous.items.length)
    let keptCount = 0
    const fresh: KeyRequest[] = []
    for (const item of items) {
      const at = previous.index.get(item.id)
      if (at === undefined || !sameRequest(previous.items[at]!, item)) {
        fresh.push(normalise(item, profileId))
      } else if (kept[at] === 0) {
        kept[at] = 1
        keptCount += 1
      }
    }
    if (fresh.length === 0 && keptCount === previous.items.length) {
      previous.fetchedAt = fetchedAt
      this.writer.markDirty(false)
      return { changed: false, viewChanged: wasStale }
    }
    entry.data = mergeChanges(previous, kept, keptCount, buildList(fresh, fetchedAt))
    this.writer.markDirty()
    return { changed: true, viewChanged: true }
  }

  /**
   * Adds requests a change probe found on top of a cached list, placed as `put` would place them
   * had the whole list been read. Throws when the list was never fetched.
   */
  addNewest(profileId: string, status: RequestStatus, added: readonly KeyRequest[]): void {
    const entry = this.entry(profileId, status)
    const previous = entry.data
    if (!previous) throw new Error(`No cached ${status} list of ${profileId} to add requests to`)
    const kept = new Uint8Array(previous.items.length).fill(1)
    const fresh = added.map((item) => normalise(item, profileId))
    // Keeps fetchedAt, or the outbox overlay would re-show requests gone from below page 1.
    entry.data = mergeChanges(previous, kept, kept.length, buildList(fresh, previous.fetchedAt))
    this.writer.markDirty()
  }

  /** Whether the cached list holds this request. */
  has(profileId: string, status: RequestStatus, requestId: string): boolean {
    return this.lists.get(profileId)?.[status]?.data?.index.has(requestId) ?? false
  }

  /** Records a failed fetch; answers whether the list's stale flag or error changed. */
  fail(profileId: string, status: RequestStatus, error: AppError): boolean {
    const entry = this.entry(profileId, status)
    const changed =
      entry.fresh || entry.error?.code !== error.code || entry.error?.message !== error.message
    entry.attempted = true
    entry.fresh = false
    entry.error = error
    return changed
  }

  /** Whether a fetch of this list was tried since the process started. */
  attempted(profileId: string, status: RequestStatus): boolean {
    return this.lists.get(profileId)?.[status]?.attempted ?? false
  }

  /** The cached items, newest first; null when this list was never fetched. */
  items(profileId: string, status: RequestStatus): readonly KeyRequest[] | null {
    return this.lists.get(profileId)?.[status]?.data?.items ?? null
  }

  source(profileId: string, status: RequestStatus): ListSource {
    const entry = this.lists.get(profileId)?.[status]
    return {
      profileId,
      status,
      fetchedAt: entry?.data?.fetchedAt ?? null,
      stale: !entry || !entry.fresh || entry.error !== null,
      error: entry?.error ?? null
    }
  }

  /**
   * One list across the given profiles, newest first (ties keep the profile order), with one
   * source per profile and the queued outbox actions overlaid.
   */
  view(
    profileIds: readonly string[],
    status: RequestStatus,
    overlay?: QueuedOverlay
  ): RequestListView {
    const sources = profileIds.map((id) => this.source(id, status))
    const lists: ListData[] = []
    for (const id of profileIds) {
      const data = this.lists.get(id)?.[status]?.data
      if (data) lists.push(data)
    }
    const merged = lists.length === 1 ? lists[0]!.items : mergeNewestFirst(lists)
    const items = merged.map((item) => {
      const queued = overlay?.(item.profileId, item.id) ?? null
      return queued ? { ...item, queued } : item
    })
    return { items, sources }
  }

  /** Drops both lists of a removed profile. */
  remove(profileId: string): void {
    if (!this.lists.delete(profileId)) return
    this.writer.markDirty()
  }

  /** Writes pending changes now (on quit). */
  flush(): void {
    this.writer.flush()
  }

  private entry(profileId: string, status: RequestStatus): ListEntry {
    let byStatus = this.lists.get(profileId)
    if (!byStatus) {
      byStatus = {}
      this.lists.set(profileId, byStatus)
    }
    let entry = byStatus[status]
    if (!entry) {
      entry = { data: null, fresh: false, attempted: false, error: null }
      byStatus[status] = entry
    }
    return entry
  }

  private snapshot(): unknown {
    const profiles: Record<string, Partial<Record<RequestStatus, unknown>>> = {}
    for (const [profileId, byStatus] of this.lists) {
      for (const status of ['pending', 'approved'] as const) {
        const data = byStatus[status]?.data
        if (!data) continue
        profiles[profileId] ??= {}
        profiles[profileId][status] = { fetchedAt: data.fetchedAt, items: data.items }
      }
    }
    return { version: FORMAT_VERSION, profiles }
  }

  private load(): void {
    const raw = this.options.store.get<unknown>(LIST_CACHE_KEY)
    if (raw === undefined) return
    const file = cacheFileSchema.safeParse(raw)
    if (!file.success) {
      this.options.logger.warn('Ignoring an unreadable list cache; lists will be fetched again')
      return
    }
    for (const [profileId, byStatus] of Object.entries(file.data.profiles)) {
      for (const status of ['pending', 'approved'] as const) {
        if (byStatus[status] === undefined) continue
        const list = cachedListSchema.safeParse(byStatus[status])
        if (!list.success || list.data.items.some((item) => item.profileId !== profileId)) {
          this.options.logger.warn('Ignoring an unreadable cached list', { profileId, status })
          continue
        }
        this.entry(profileId, status).data = buildList(list.data.items, list.data.fetchedAt)
      }
    }
  }
}

function timeOf(item: KeyRequest): number {
  const ms = item.createdAt === null ? Number.NaN : Date.parse(item.createdAt)
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms
}

/** Sorts newest first unless already so (the Dashboard usually sends that order). */
function buildList(items: KeyRequest[], fetchedAt: string): ListData {
  let times = Float64Array.from(items, timeOf)
  let sorted = items
  if (times.some((time, index) => index > 0 && time > times[index - 1]!)) {
    const order = items.map((_, index) => index)
    order.sort((a, b) => times[b]! - times[a]! || a - b)
    sorted = order.map((index) => items[index]!)
    times = Float64Array.from(order, (index) => times[index]!)
  }
  const index = new Map<string, number>()
  sorted.forEach((item, position) => index.set(item.id, position))
  return { items: sorted, times, index, fetchedAt }
}

/**
 * The next list from the kept cached items (in their order, times already parsed) and the
 * changed or added ones (sorted), merged newest first. Reuses the previous index map in place:
 * a poll that adds a few requests to a long list parses only the new dates.
 */
function mergeChanges(
  previous: ListData,
  kept: Uint8Array,
  keptCount: number,
  fresh: ListData
): ListData {
  const total = keptCount + fresh.items.length
  const items: KeyRequest[] = new Array(total)
  const times = new Float64Array(total)
  let p = 0
  let f = 0
  for (let o = 0; o < total; o += 1) {
    while (p < kept.length && kept[p] === 0) p += 1
    const takeFresh =
      f < fresh.items.length && (p >= kept.length || fresh.times[f]! > previous.times[p]!)
    if (takeFresh) {
      items[o] = fresh.items[f]!
      times[o] = fresh.times[f]!
      f += 1
    } else {
      items[o] = previous.items[p]!
      times[o] = previous.times[p]!
      p += 1
    }
  }
  const index = previous.index
  previous.items.forEach((item, position) => {
    if (kept[position] === 0) index.delete(item.id)
  })
  items.forEach((item, position) => index.set(item.id, position))
  return { items, times, index, fetchedAt: fresh.fetchedAt }
}

function mergeNewestFirst(lists: readonly ListData[]): KeyRequest[] {
  const heads = lists.map(() => 0)
  const total = lists.reduce((sum, list) => sum + list.items.length, 0)
  const out: KeyRequest[] = new Array(total)
  for (let n = 0; n < total; n += 1) {
    let pick = -1
    for (let l = 0; l < lists.length; l += 1) {
      const head = heads[l]!
      const list = lists[l]!
      if (head >= list.items.length) continue
      if (pick < 0 || list.times[head]! > lists[pick]!.times[heads[pick]!]!) pick = l
    }
    out[n] = lists[pick]!.items[heads[pick]!]!
    heads[pick] = heads[pick]! + 1
  }
  return out
}
