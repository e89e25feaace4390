import type { OutboxItem } from '../../../shared/domain'
import { AppFailure, type ErrorCode } from '../../../shared/result'
import { defaultBackoff } from './backoff'
import {
  cancelItems,
  type CancelRefusal,
  cancelProfileItems,
  dropProfileItems,
  enqueueItems,
  requeueItems,
  retryItem
} from './commands'
import { interruptedError } from './messages'
import type {
  ChangeListener,
  CredentialListener,
  EnqueueInput,
  EnqueueOptions,
  FlushOptions,
  OutboxDeps,
  ProblemListener
} from './outbox-types'
import type { PrunePolicy } from './pruning'
import { OutboxQueue } from './queue'
import { replayProfile, type PassMode, type ReplayDeps } from './replay'
import { Scheduler } from './scheduler'

/**
 * The durable queue of approve/decline actions and its replay engine
 * (docs/architecture.md#outbox): a facade over the queue (`queue.ts`, `commands.ts`), the replay
 * pass (`replay.ts`, deciding by `transitions.ts`) and the scheduler (`scheduler.ts`).
 *
 * Every action is written to the store before anything is sent; each item is durable as
 * `sending` before its call goes out. An approve or decline whose outcome is unknown is never
 * resent blindly: the request is re-read, and only a "still pending" read taken after
 * `reconcileGraceMs` allows another call.
 */
export class Outbox {
  private readonly queue: OutboxQueue
  private readonly replay: ReplayDeps
  private readonly scheduler: Scheduler
  private readonly prunePolicy: PrunePolicy
  private recovery: Promise<void> | null = null

  /** Loads the queue from the store; call `recover()` (or `start()`) before relying on it. */
  constructor(private readonly deps: OutboxDeps) {
    this.queue = new OutboxQueue(deps.store, deps.clock, deps.logger)
    this.prunePolicy = {
      retentionMs: Math.max(0, deps.finishedRetentionMs ?? 7 * 24 * 60 * 60_000),
      maxFinished: Math.max(0, deps.maxFinishedItems ?? 500)
    }
    this.scheduler = new Scheduler({
      clock: deps.clock,
      logger: deps.logger,
      maxParallelProfiles: deps.maxParallelProfiles ?? 4,
      pass: (profileId, ignoreBackoff) => this.pass(profileId, 'send', ignoreBackoff),
      nextWakeAt: () => this.queue.nextWakeAt(),
      wake: () => this.flush()
    })
    this.replay = {
      queue: this.queue,
      clientFor: (profileId) => deps.clientFor(profileId),
      clock: deps.clock,
      random: deps.random ?? Math.random,
      logger: deps.logger,
      concurrency: Math.max(1, deps.concurrency ?? 4),
      backoff: deps.backoff ?? defaultBackoff,
      batchSize: Math.max(1, deps.batchSize ?? 128),
      graceMs: deps.reconcileGraceMs ?? 15_000,
      maxListAgeMs: deps.preflightMaxAgeMs ?? 30_000,
      closed: () => this.scheduler.closed
    }
  }

  /**
   * Reconciles every item a previous process left `sending`, before anything else is sent, then
   * drops finished items past their retention. Idempotent; `flush()` waits for it.
   */
  recover(): Promise<void> {
    // A failed recovery (a full disk) is not remembered: the next flush tries it again.
    this.recovery ??= this.reconcileInterrupted()
      .then(() => this.pruneAtStart())
      .catch((thrown: unknown) => {
        this.recovery = null
        throw thrown
      })
    return this.recovery
  }

  /**
   * Queues one action, durably, before returning; the same kind already active for the request
   * returns the existing item. `holdMs`: the Undo window (see `EnqueueOptions`).
   * Throws `AppFailure` VALIDATION for bad input, INTERNAL when the store cannot be written.
   */
  enqueue(input: EnqueueInput, options: EnqueueOptions = {}): OutboxItem {
    return this.enqueueMany([input], options)[0] as OutboxItem
  }

  /** Queues several actions (bulk triage) with a single store write. */
  enqueueMany(inputs: readonly EnqueueInput[], options: EnqueueOptions = {}): OutboxItem[] {
    const { items, added } = enqueueItems(this.queue, this.deps.clock.now(), inputs, options)
    if (added) this.scheduler.schedule()
    return items
  }

  /**
   * Sends what is due for one profile, or for every profile (in parallel, bounded). Items waiting
   * out a backoff stay put unless `ignoreBackoff`; an Undo window always holds. A flush asked for
   * while one runs for the profile runs once more after it, so nothing queued meanwhile is missed.
   */
  async flush(profileId?: string, options: FlushOptions = {}): Promise<void> {
    await this.recover()
    const profiles = profileId !== undefined ? [profileId] : this.queue.profilesWithWork()
    const ignore = options.ignoreBackoff === true
    await Promise.all(profiles.map((id) => this.scheduler.flushProfile(id, ignore)))
  }

  /**
   * Resolves with the item once its outcome is written: a final state, `needs-auth`, or a failed
   * attempt it will retry on its own; on timeout (on the clock), with the item as it is then.
   * Throws NOT_FOUND for an unknown opId.
   */
  waitForSettled(opId: string, timeoutMs: number): Promise<OutboxItem> {
    return this.queue.waitForSettled(opId, timeoutMs)
  }

  /** Every item, oldest first; finished ones go after their retention (`pruning.ts`). */
  list(): OutboxItem[] {
    return this.queue.list()
  }

  get(opId: string): OutboxItem | null {
    return this.queue.get(opId)
  }

  /**
   * Tries an item again now (`commands.ts`); `needs-auth` re-queues the whole profile.
   * Throws CONFLICT for an item in flight or already finished, NOT_FOUND for an unknown opId.
   */
  retry(opId: string): void {
    if (!retryItem(this.queue, opId)) {
      this.requeueProfile(this.queue.require(opId).profileId)
      return
    }
    this.scheduler.schedule()
  }

  /**
   * Cancels a `queued` item (Undo included); nothing is sent for it. Throws CONFLICT for any
   * other state and for an item whose earlier attempt may have reached the Dashboard.
   */
  cancel(opId: string): void {
    const refused = this.cancelMany([opId])[0]
    if (refused) throw new AppFailure(refused.code, refused.message)
  }

  /**
   * Cancels several `queued` items (the Undo of a batch) with one store write; answers why each
   * of the others could not be cancelled, by the rules of `cancel`.
   */
  cancelMany(opIds: readonly string[]): CancelRefusal[] {
    const refused = cancelItems(this.queue, opIds)
    this.scheduler.schedule()
    return refused
  }

  /**
   * Re-queues every `needs-auth` item of a profile (its secret changed), or only those parked by
   * an error with code `only` (the keychain answering again). Returns how many.
   */
  requeueProfile(profileId: string, only?: ErrorCode): number {
    const count = requeueItems(this.queue, profileId, only)
    if (count > 0) this.scheduler.schedule()
    return count
  }

  /** See `OutboxQueue.pendingCounts`. */
  pendingCounts(profileId: string): { queued: number; failed: number; uncertain: number } {
    return this.queue.pendingCounts(profileId)
  }

  /** Cancels every action of a profile not on the wire (see `cancelProfileItems`). */
  cancelProfile(profileId: string): void {
    cancelProfileItems(this.queue, profileId)
  }

  /**
   * Forgets every item of a deleted profile: nothing more is sent and waiters resolve with the
   * item `cancelled`; a call on the wire finishes unrecorded. Returns how many were dropped.
   */
  dropProfile(profileId: string): number {
    const dropped = dropProfileItems(this.queue, profileId)
    if (dropped > 0) this.scheduler.schedule()
    return dropped
  }

  /** Called with the whole list after each store write (batched during a flush). */
  onChange(listener: ChangeListener): () => void {
    return this.queue.changed.on(listener)
  }

  /** The only place an approval's credential goes: it is never stored or logged. */
  onCredential(listener: CredentialListener): () => void {
    return this.queue.credentials.on(({ item, credential }) => listener(item, credential))
  }

  /** After each profile flush that left items `conflict`, `failed` or `needs-auth`: those items. */
  onSettled(listener: ProblemListener): () => void {
    return this.queue.settled.on(listener)
  }

  /** Earliest time an item becomes due (now if one is); null if none. */
  nextWakeAt(): number | null {
    return this.queue.nextWakeAt()
  }

  /** Recovers, then flushes on its own whenever an item becomes due (timers on the clock). */
  start(): void {
    this.scheduler.start()
    this.recover().then(
      () => this.scheduler.schedule(),
      (thrown: unknown) =>
        this.deps.logger?.error('Outbox recovery failed', { error: String(thrown) })
    )
  }

  /** Stops the timer and waits for running flushes to finish. */
  async stop(): Promise<void> {
    const stopping = this.scheduler.stop()
    await this.recovery?.catch(() => undefined)
    await stopping
  }

  /** One pass, then the one write it ends with, and its problems to the listeners. */
  private async pass(profileId: string, mode: PassMode, ignoreBackoff: boolean): Promise<boolean> {
    const report = await replayProfile(this.replay, profileId, mode, ignoreBackoff)
    if (report.due === 0) return false
    // Folded into the write every pass makes anyway: no item just settled is old enough to go.
    this.queue.prune(this.prunePolicy)
    try {
      this.queue.persist({ wake: false })
    } catch (thrown) {
      // The file keeps its last good write, where an item sent in this pass is still `sending`
      // (re-checked after a restart, never resent blindly); the next write brings it up to date.
      this.deps.logger?.error('Could not save the outbox after sending', {
        profileId,
        error: thrown instanceof Error ? thrown.message : String(thrown)
      })
    }
    try {
      // Problems are reported before the waiters hear (see `OutboxQueue.persist`).
      if (report.problems.length > 0) this.queue.settled.emit(report.problems)
    } finally {
      this.queue.wakeWaiters()
    }
    return report.unblocked
  }

  private async reconcileInterrupted(): Promise<void> {
    const now = this.deps.clock.now()
    const profiles = new Set<string>()
    for (const item of this.queue.items.values()) {
      if (item.state !== 'sending') continue
      // Left `sending` by a process that is gone: its call may be on the wire or applied.
      if (item.verifyAfter === null) {
        item.verifyAfter = now + this.replay.graceMs
        item.lastError = interruptedError
      }
      item.nextAttemptAt = null
      this.queue.touch(item)
      profiles.add(item.profileId)
    }
    if (profiles.size === 0) return
    this.queue.persist()
    await Promise.all(
      [...profiles].map((id) => this.scheduler.withSlot(() => this.pass(id, 'reconcile', false)))
    )
  }

  /**
   * A reconciliation that ran has already pruned in its last write; otherwise this is the one
   * write of the start. A failed write only delays the pruning to the next write, so it must not
   * fail recovery, which every flush waits for.
   */
  private pruneAtStart(): void {
    if (!this.queue.prune(this.prunePolicy)) return
    try {
      this.queue.persist()
    } catch (thrown) {
      this.deps.logger?.warn('Could not write the pruned outbox; the next write will', {
        error: String(thrown)
      })
    }
  }
}
