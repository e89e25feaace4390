import type {
  Connectivity,
  KeyRequest,
  OutboxItem,
  Profile,
  RequestListView,
  RequestStatus
} from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { toAppError } from '../errors'
import type { PortalClient, RequestPage } from '../portal/portal-client'
import type { Clock, Logger, Notifier, StoreFactory } from '../ports'
import { compareFirstPage } from './change-probe'
import { ConnectivityTracker } from './connectivity'
import { ListCache, type QueuedOverlay } from './list-cache'
import { NewRequestNotifier } from './new-request-notifier'
import { Poller, type PollMode, type PollOutcome, type PollerOptions } from './poller'
import { SeenSet } from './seen-set'

/** Store file holding the cached lists (large; rewritten only when a list changed). */
export const CACHE_STORE = 'cache'
/** Store file holding the announced pending ids (small, so announcing stays cheap). */
export const SEEN_STORE = 'seen'

export interface SyncServiceOptions {
  stores: StoreFactory
  clock: Clock
  notifier: Notifier
  logger: Logger
  /** A client for the profile's portal; may throw an AppFailure (no secret, keychain locked). */
  clientFor: (profileId: string) => Promise<PortalClient>
  /** The saved profiles, read on every use (name, interval and notification flag may change). */
  getProfiles: () => readonly Profile[]
  /** A list's items, stale flag or error changed: push `requests:changed`. */
  onListsChanged?: (profileIds: string[]) => void
  /** Push `connectivity:changed`. */
  onConnectivity?: (profileId: string, connectivity: Connectivity) => void
  /** A notification was clicked: focus the window, push `notification:clicked`. */
  onNotificationClick?: (profileId: string, requestId: string) => void
  /**
   * A portal answered again after being offline, degraded or refusing the secret: the moment to
   * replay its queued actions without waiting out their backoff.
   */
  onReconnected?: (profileId: string) => void
  /** Poll timing and full-read overrides (tests, benchmarks). */
  polling?: Pick<
    PollerOptions,
    | 'maxBackoffMs'
    | 'focusDebounceMs'
    | 'focusMinAgeMs'
    | 'changeDelayMs'
    | 'fullReadEvery'
    | 'fullReadMaxAgeMs'
  >
  /** Delay that coalesces list cache writes; default 30 s (see ListCacheOptions). */
  cacheFlushDelayMs?: number
  /** Delay that coalesces seen-set writes; default 2 s. */
  seenFlushDelayMs?: number
}

export interface ListArgs {
  /** Omitted: one inbox across every profile. */
  profileId?: string
  status: RequestStatus
  /** Fetch from the portal first; lists never fetched in this session are fetched anyway. */
  refresh?: boolean
}

const unreachableStates = new Set(['offline', 'degraded', 'auth-problem'])

/**
 * Keeps every profile's lists current: polls pending lists, caches the last good lists on disk,
 * tracks connectivity from real outcomes and announces new pending requests once.
 * Only pending lists are polled; approved lists are fetched when asked for. Most scheduled polls
 * read only page 1 as a change probe: new requests on top are added from it, any other change
 * is read in full (see change-probe.ts for what that can miss until the next full read).
 */
export class SyncService {
  private readonly cache: ListCache
  private readonly seen: SeenSet
  private readonly tracker: ConnectivityTracker
  private readonly poller: Poller
  private readonly notifications: NewRequestNotifier
  private readonly approvedFetches = new Map<string, Promise<boolean>>()
  private started = false

  constructor(private readonly options: SyncServiceOptions) {
    const { clock, logger } = options
    this.cache = new ListCache({
      store: options.stores(CACHE_STORE),
      clock,
      logger,
      flushDelayMs: options.cacheFlushDelayMs
    })
    this.seen = new SeenSet({
      store: options.stores(SEEN_STORE),
      clock,
      logger,
      flushDelayMs: options.seenFlushDelayMs
    })
    this.tracker = new ConnectivityTracker(clock, (profileId, current, previous) =>
      this.connectivityChanged(profileId, current, previous)
    )
    this.poller = new Poller({
      ...options.polling,
      clock,
      logger,
      poll: (profileId, mode) => this.pollPending(profileId, mode)
    })
    this.notifications = new NewRequestNotifier({
      notifier: options.notifier,
      logger,
      onClick: (profileId, requestId) => options.onNotificationClick?.(profileId, requestId)
    })
  }

  /** Starts polling every saved profile (each polls at once, then on its interval). */
  start(): void {
    this.started = true
    this.poller.setProfiles(this.options.getProfiles())
  }

  /** Profiles were added or edited: start, stop or retime their pollers (once started). */
  profilesChanged(): void {
    if (this.started) this.poller.setProfiles(this.options.getProfiles())
  }

  /** A profile was deleted: stop polling it and drop its cached lists, seen-set and state. */
  profileRemoved(profileId: string): void {
    if (this.started) {
      this.poller.setProfiles(this.options.getProfiles().filter((p) => p.id !== profileId))
    }
    this.cache.remove(profileId)
    this.seen.remove(profileId)
    this.tracker.forget(profileId)
  }

  /**
   * Fetches a list now (all profiles when `profileId` is omitted). Never throws: a failure is
   * recorded on the list's source and the profile's connectivity. Pending fetches join a running poll.
   */
  async refresh(profileId: string | undefined, status: RequestStatus): Promise<void> {
    const ids = profileId === undefined ? this.profileIds() : [profileId]
    await Promise.all(ids.map((id) => this.refreshOne(id, status)))
  }

  /** `requests:list`: refreshes when asked (or never fetched yet), then answers from the cache. */
  async list(args: ListArgs, overlay?: QueuedOverlay): Promise<RequestListView> {
    const ids = args.profileId === undefined ? this.profileIds() : [args.profileId]
    const due = args.refresh ? ids : ids.filter((id) => !this.cache.attempted(id, args.status))
    await Promise.all(due.map((id) => this.refreshOne(id, args.status)))
    return this.cache.view(ids, args.status, overlay)
  }

  /** The cached list, merged newest first across profiles when `profileId` is omitted. */
  view(
    profileId: string | undefined,
    status: RequestStatus,
    overlay?: QueuedOverlay
  ): RequestListView {
    const ids = profileId === undefined ? this.profileIds() : [profileId]
    return this.cache.view(ids, status, overlay)
  }

  /** The cached request, if listed; lets AppCore label outbox items and open notifications offline. */
  cached(profileId: string, requestId: string): KeyRequest | null {
    for (const status of ['pending', 'approved'] as const) {
      const found = this.cache.items(profileId, status)?.find((item) => item.id === requestId)
      if (found) return found
    }
    return null
  }

  connectivity(profileId: string): Connectivity {
    return this.tracker.get(profileId)
  }

  /** Pending requests in the last good list; null when never fetched. */
  pendingCount(profileId: string): number | null {
    return this.cache.items(profileId, 'pending')?.length ?? null
  }

  /** Pending requests across every profile, for the tray and the app badge. */
  totalPending(): number {
    return this.profileIds().reduce((sum, id) => sum + (this.pendingCount(id) ?? 0), 0)
  }

  /**
   * Feeds the outcome of any other portal call (outbox sends, detail reads, connection tests) into
   * connectivity: `null` is a success. A success after the portal was unreachable refreshes at once.
   */
  recordOutcome(profileId: string, error: AppError | null): void {
    this.tracker.record(profileId, error)
  }

  /**
   * Keygate just changed requests on this portal (queued actions settled, a request was created):
   * refresh its pending list shortly, with a fetch that starts after the change.
   */
  changedOnPortal(profileId: string): void {
    this.poller.changed(profileId)
  }

  /** The window gained focus: read the lists last read in full over 15 s ago (debounced). */
  windowFocused(): void {
    this.poller.windowFocused()
  }

  /**
   * One notification for an outbox replay that ended with conflicts or failures; a click opens the
   * first item's request. Answers whether it was shown.
   */
  notifyReplayProblems(profileId: string, items: readonly OutboxItem[]): boolean {
    const profile = this.options.getProfiles().find((p) => p.id === profileId)
    return profile ? this.notifications.replayProblems(profile, items) : false
  }

  /** Stops the timers, waits for running fetches and writes pending cache and seen-set changes. */
  async stop(): Promise<void> {
    await this.poller.stop()
    await Promise.all(this.approvedFetches.values())
    this.cache.flush()
    this.seen.flush()
  }

  private profileIds(): string[] {
    return this.options.getProfiles().map((profile) => profile.id)
  }

  private async refreshOne(profileId: string, status: RequestStatus): Promise<void> {
    if (status === 'pending') return this.poller.pollNow(profileId)
    let running = this.approvedFetches.get(profileId)
    if (!running) {
      running = this.fetch(profileId, 'approved').finally(() =>
        this.approvedFetches.delete(profileId)
      )
      this.approvedFetches.set(profileId, running)
    }
    await running
  }

  /**
   * One poll of the pending list. A probe stands in for the full read only when the cached list
   * came from a full read of this session and the portal was answering: after a restart or an
   * outage anything may have changed, so that poll reads the whole list.
   */
  private async pollPending(profileId: string, mode: PollMode): Promise<PollOutcome> {
    const probing =
      mode === 'probe' &&
      !this.cache.source(profileId, 'pending').stale &&
      this.tracker.get(profileId).state === 'online'
    if (probing) {
      const probe = await this.probe(profileId)
      if (probe !== 'changed') return probe
    }
    return (await this.fetch(profileId, 'pending')) ? 'full' : 'failed'
  }

  /**
   * Reads page 1 of the pending list and compares it with the cache, adding the requests that
   * are only new on top as a full read would, announcement included; feeds connectivity too.
   */
  private async probe(profileId: string): Promise<'failed' | 'probed' | 'changed'> {
    let page: RequestPage
    try {
      const client = await this.options.clientFor(profileId)
      if (!client.firstPage) return 'changed'
      page = await client.firstPage('pending')
    } catch (cause) {
      this.fetchFailed(profileId, 'pending', cause)
      return 'failed'
    }
    const profile = this.profile(profileId)
    if (!profile) return 'probed'
    this.tracker.record(profileId, null)
    const cached = this.cache.items(profileId, 'pending') ?? []
    const finding = compareFirstPage(
      cached,
      (requestId) => this.cache.has(profileId, 'pending', requestId),
      page
    )
    if (finding.kind === 'changed') return 'changed'
    if (finding.kind === 'added') {
      this.cache.addNewest(profileId, 'pending', finding.items)
      this.announceNew(profile)
      this.listsChanged(profileId)
    }
    return 'probed'
  }

  /** One list fetch; resolves whether the portal answered. */
  private async fetch(profileId: string, status: RequestStatus): Promise<boolean> {
    let items: KeyRequest[]
    try {
      const client = await this.options.clientFor(profileId)
      items = await client.listRequests(status)
    } catch (cause) {
      this.fetchFailed(profileId, status, cause)
      return false
    }
    // A profile deleted while its fetch ran must not come back through the cache.
    const profile = this.profile(profileId)
    if (!profile) return true
    this.tracker.record(profileId, null)
    const { viewChanged } = this.cache.put(profileId, status, items)
    if (status === 'pending') this.announceNew(profile)
    if (viewChanged) this.listsChanged(profileId)
    return true
  }

  private fetchFailed(profileId: string, status: RequestStatus, cause: unknown): void {
    const error = toAppError(cause)
    // The list shows the generic message; what actually broke goes to the log only.
    if (error.code === 'INTERNAL') {
      this.options.logger.error('List fetch failed', { profileId, status, error: cause })
    }
    if (!this.profile(profileId)) return
    this.tracker.record(profileId, error)
    if (this.cache.fail(profileId, status, error)) this.listsChanged(profileId)
  }

  private announceNew(profile: Profile): void {
    const pending = this.cache.items(profile.id, 'pending') ?? []
    const { newIds } = this.seen.update(
      profile.id,
      pending.map((item) => item.id)
    )
    if (newIds.length === 0) return
    const fresh = new Set(newIds)
    this.notifications.announce(
      profile,
      pending.filter((item) => fresh.has(item.id))
    )
  }

  private profile(profileId: string): Profile | undefined {
    return this.options.getProfiles().find((p) => p.id === profileId)
  }

  private listsChanged(profileId: string): void {
    this.options.onListsChanged?.([profileId])
  }

  private connectivityChanged(
    profileId: string,
    current: Connectivity,
    previous: Connectivity
  ): void {
    const data = { profileId, state: current.state, message: current.lastError?.message ?? null }
    if (current.state === 'online') this.options.logger.info('Portal reachable', data)
    else this.options.logger.warn('Portal connectivity changed', data)
    this.options.onConnectivity?.(profileId, current)
    if (current.state === 'online' && unreachableStates.has(previous.state)) {
      this.poller.reconnected(profileId)
      this.options.onReconnected?.(profileId)
    }
  }
}
