import type { IssuedCredential, OutboxItem } from '../../../shared/domain'
import { Emitter } from '../../../shared/emitter'
import { activeOutboxStates } from '../../../shared/outbox-states'
import { AppFailure, type AppError } from '../../../shared/result'
import type { Clock, KeyValueStore, Logger } from '../ports'
import { interruptedError } from './messages'
import { loadItems, saveItems } from './outbox-persistence'
import type { StoredOutboxItem } from './outbox-types'
import { itemsToPrune, type PrunePolicy } from './pruning'
import type { Settle } from './transitions'

export const isActive = (item: OutboxItem): boolean => activeOutboxStates.has(item.state)
export const requestKey = (item: { profileId: string; requestId: string }): string =>
  `${item.profileId}\u0000${item.requestId}`
export const iso = (ms: number): string => new Date(ms).toISOString()

export function toPublic(item: StoredOutboxItem): OutboxItem {
  return {
    opId: item.opId,
    profileId: item.profileId,
    requestId: item.requestId,
    kind: item.kind,
    reason: item.reason,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    attempts: item.attempts,
    state: item.state,
    lastError: item.lastError ? { ...item.lastError } : null,
    resolution: item.resolution ? { ...item.resolution } : null,
    label: { ...item.label },
    nextAttemptAt: item.nextAttemptAt,
    sendAfter: item.sendAfter
  }
}

/**
 * The outbox's items in creation order, their store file, the queries over them and the events
 * they raise (docs/architecture.md#outbox-modules). Everything that changes an item goes through
 * here to be written: `persist()` is the one write, after which change listeners and waiters hear.
 */
export class OutboxQueue {
  readonly items = new Map<string, StoredOutboxItem>()
  /** Items whose call is on the wire right now. */
  readonly inFlight = new Set<string>()
  /** Consecutive failures per item and per profile, for the backoff. */
  readonly itemFailures = new Map<string, number>()
  readonly profileFailures = new Map<string, number>()
  readonly changed: Emitter<OutboxItem[]>
  readonly credentials: Emitter<{ item: OutboxItem; credential: IssuedCredential }>
  readonly settled: Emitter<OutboxItem[]>
  /** Entries of the file this version cannot read: written back untouched. */
  private readonly unreadable: readonly unknown[]
  private readonly waiters = new Map<string, Set<() => void>>()

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly logger: Logger | undefined
  ) {
    const report = (what: string) => (thrown: unknown) =>
      this.logger?.error(`Outbox ${what} listener failed`, { error: String(thrown) })
    this.changed = new Emitter(report('change'))
    this.credentials = new Emitter(report('credential'))
    this.settled = new Emitter(report('problem'))
    const loaded = loadItems(store, logger, clock.now())
    for (const item of loaded.items) this.items.set(item.opId, item)
    this.unreadable = loaded.unreadable
  }

  /**
   * One write of the whole queue, then the change listeners and the waiters. A pass's mid-way
   * writes (`wake: false`) leave the waiters to its last write, after which its problems are
   * reported: an answer never races ahead of the report that tells which problems it showed.
   */
  persist(options: { wake: boolean } = { wake: true }): void {
    try {
      saveItems(this.store, this.items.values(), this.unreadable)
      if (this.changed.size > 0) this.changed.emit(this.list())
    } finally {
      if (options.wake) this.wakeWaiters()
    }
  }

  /** Lets every waiter check its item. */
  wakeWaiters(): void {
    for (const opId of [...this.waiters.keys()]) this.notifyWaiters(opId)
  }

  list(): OutboxItem[] {
    return [...this.items.values()].map(toPublic)
  }

  get(opId: string): OutboxItem | null {
    const item = this.items.get(opId)
    return item ? toPublic(item) : null
  }

  require(opId: string): StoredOutboxItem {
    const item = this.items.get(opId)
    if (!item) throw new AppFailure('NOT_FOUND', 'That outbox action no longer exists.')
    return item
  }

  touch(item: StoredOutboxItem): void {
    item.updatedAt = iso(this.clock.now())
  }

  /** Records how an item ended (or parked), and logs it. */
  settle(item: StoredOutboxItem, decision: Omit<Settle, 'action'>): void {
    const { state, resolution, error } = decision
    const now = this.clock.now()
    item.state = state
    item.resolution = resolution ? { reason: resolution, at: iso(now) } : null
    item.lastError = error
    item.nextAttemptAt = null
    item.holdUntil = null
    // A failed or parked item keeps its deadline: its earlier call may still have landed.
    if (state !== 'failed' && state !== 'needs-auth') item.verifyAfter = null
    this.touch(item)
    this.itemFailures.delete(item.opId)
    this.logger?.info('Outbox action settled', {
      opId: item.opId,
      profileId: item.profileId,
      requestId: item.requestId,
      kind: item.kind,
      state,
      resolution,
      code: error?.code ?? null
    })
  }

  /** Sets an item to wait for another try (`hold`: one no reconnect shortens). */
  waitUntil(
    item: StoredOutboxItem,
    retry: { at: number; hold: boolean; error: AppError | null }
  ): void {
    if (retry.hold) {
      if (item.state === 'sending' && item.verifyAfter === null) item.state = 'queued'
      item.holdUntil = retry.at
    }
    if (retry.error) item.lastError = retry.error
    item.nextAttemptAt = iso(retry.at)
    this.touch(item)
  }

  /**
   * A profile's actions still to send (queued, sending, needs-auth), those that failed, and how
   * many of either may already have reached the Dashboard.
   */
  pendingCounts(profileId: string): { queued: number; failed: number; uncertain: number } {
    let queued = 0
    let failed = 0
    let uncertain = 0
    for (const item of this.items.values()) {
      if (item.profileId !== profileId) continue
      if (isActive(item)) queued += 1
      else if (item.state === 'failed') failed += 1
      else continue
      if (item.verifyAfter !== null) uncertain += 1
    }
    return { queued, failed, uncertain }
  }

  /** The first active item of each request, in creation order: only it may be worked on. */
  *heads(profileId?: string): Generator<StoredOutboxItem> {
    const seen = new Set<string>()
    for (const item of this.items.values()) {
      if (!isActive(item) || (profileId !== undefined && item.profileId !== profileId)) continue
      const key = requestKey(item)
      if (seen.has(key)) continue
      seen.add(key)
      yield item
    }
  }

  /**
   * The heads of a profile due now. The Undo window and what the Dashboard said about an item
   * (`holdUntil`) hold whatever the connectivity does; only an unreachable portal's wait gives
   * way to `ignoreBackoff`. A head left `sending` without a deadline gets one: its call may
   * have gone out.
   */
  dueHeads(
    profileId: string,
    options: { sendingOnly: boolean; ignoreBackoff: boolean; graceMs: number }
  ): StoredOutboxItem[] {
    const now = this.clock.now()
    const due: StoredOutboxItem[] = []
    for (const item of this.heads(profileId)) {
      if (!this.isWorkable(item)) continue
      if (options.sendingOnly && item.state !== 'sending') continue
      if (item.sendAfter !== null && Date.parse(item.sendAfter) > now) continue
      if ((item.holdUntil ?? 0) > now) continue
      const waitUntil = item.nextAttemptAt === null ? null : Date.parse(item.nextAttemptAt)
      if (!options.ignoreBackoff && waitUntil !== null && waitUntil > now) continue
      if (item.state === 'sending' && item.verifyAfter === null) {
        item.verifyAfter = now + options.graceMs
        item.lastError = interruptedError
      }
      due.push(item)
    }
    return due
  }

  profilesWithWork(): string[] {
    const profiles = new Set<string>()
    for (const item of this.heads()) if (item.state !== 'needs-auth') profiles.add(item.profileId)
    return [...profiles]
  }

  /**
   * Earliest time an item becomes due (now if one is due already), ignoring items parked as
   * `needs-auth`, in flight, or waiting behind an earlier action on the same request; null if none.
   */
  nextWakeAt(): number | null {
    const now = this.clock.now()
    let earliest: number | null = null
    for (const item of this.heads()) {
      if (item.state === 'needs-auth' || this.inFlight.has(item.opId)) continue
      const waits = [item.nextAttemptAt, item.sendAfter].filter((at) => at !== null)
      const at = waits.length === 0 ? now : Math.max(...waits.map((at) => Date.parse(at)))
      earliest = earliest === null ? at : Math.min(earliest, at)
    }
    return earliest
  }

  /** True when one of `finished` was the head of a request that has another action waiting. */
  unblockedAny(finished: readonly StoredOutboxItem[]): boolean {
    const ended = new Set(finished.filter((item) => !isActive(item)).map(requestKey))
    if (ended.size === 0) return false
    for (const item of this.items.values()) {
      if (isActive(item) && ended.has(requestKey(item))) return true
    }
    return false
  }

  /** Queued or sending, and not in a call right now. */
  isWorkable(item: StoredOutboxItem): boolean {
    return (item.state === 'queued' || item.state === 'sending') && !this.inFlight.has(item.opId)
  }

  /** Drops finished items past the retention or the cap, in memory; true when any went. */
  prune(policy: PrunePolicy): boolean {
    const gone = itemsToPrune(this.items.values(), this.clock.now(), policy)
    for (const opId of gone) this.items.delete(opId)
    if (gone.length > 0) this.logger?.info('Pruned finished outbox actions', { count: gone.length })
    return gone.length > 0
  }

  /**
   * Resolves with the item once it has an outcome to show: a final state, `needs-auth`, or a
   * failed attempt it will retry on its own, as written to the store. On timeout (measured on
   * the clock) it resolves with the item as it is then.
   */
  async waitForSettled(opId: string, timeoutMs: number): Promise<OutboxItem> {
    const item = this.require(opId)
    if (this.hasOutcome(item)) return toPublic(item)
    return new Promise((resolve) => {
      const checks = this.waiters.get(opId) ?? new Set<() => void>()
      this.waiters.set(opId, checks)
      // Runs once: it cancels its timer and takes its check out before either could call it again.
      const finish = (): void => {
        cancelTimer()
        checks.delete(check)
        if (checks.size === 0) this.waiters.delete(opId)
        resolve(toPublic(item))
      }
      const check = (): void => {
        if (this.hasOutcome(item)) finish()
      }
      const cancelTimer = this.clock.setTimeout(finish, timeoutMs)
      checks.add(check)
    })
  }

  /** Lets the waiters of an item that left the queue (or changed without a write) check it. */
  notifyWaiters(opId: string): void {
    const checks = this.waiters.get(opId)
    if (!checks) return
    for (const check of [...checks]) check()
  }

  private hasOutcome(item: StoredOutboxItem): boolean {
    if (this.inFlight.has(item.opId)) return false
    if (item.state === 'queued' || item.state === 'sending') return item.lastError !== null
    return true
  }
}
