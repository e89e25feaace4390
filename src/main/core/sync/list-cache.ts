import type { KeyRequest, ListSource, RequestListView, RequestStatus } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import type { Clock, KeyValueStore, Logger } from '../ports'
import { copyRequest } from '../request-view'
import { DeferredWriter } from './deferred-writer'
import { LIST_CACHE_KEY, cacheFile, readCacheFile, type StoredList } from './list-cache-file'
import { buildList, mergeChanges, mergeNewestFirst, type ListData } from './request-lists'
import { sameRequest } from './same-request'

/** The queued outbox action to show on a request, or null; applied to cached and fresh lists. */
export type QueuedOverlay = (profileId: string, requestId: string) => KeyRequest['queued']

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
      snapshot: () => cacheFile(this.stored())
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
        items.map((item) => cached(item, profileId)),
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
        fresh.push(cached(item, profileId))
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
    const fresh = added.map((item) => cached(item, profileId))
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

  private *stored(): Generator<StoredList> {
    for (const [profileId, byStatus] of this.lists) {
      for (const status of ['pending', 'approved'] as const) {
        const data = byStatus[status]?.data
        if (data) yield { profileId, status, fetchedAt: data.fetchedAt, items: data.items }
      }
    }
  }

  private load(): void {
    const raw = this.options.store.get<unknown>(LIST_CACHE_KEY)
    for (const list of readCacheFile(raw, this.options.logger)) {
      this.entry(list.profileId, list.status).data = buildList(list.items, list.fetchedAt)
    }
  }
}

/** What the cache keeps of a fetched request: its fields, not `raw` or anything else added. */
function cached(item: KeyRequest, profileId: string): KeyRequest {
  return copyRequest(item, { profileId, fields: { ...item.fields }, queued: null })
}
