import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type {
  IssuedCredential,
  OutboxItem,
  OutboxResolutionReason,
  OutboxState
} from '../../../shared/domain'
import { activeOutboxStates, problemOutboxStates } from '../../../shared/outbox-states'
import { AppFailure, type AppError, type ErrorCode } from '../../../shared/result'
import type { Clock, KeyValueStore, Logger } from '../ports'
import type { PortalClient } from '../portal/portal-client'
import { defaultBackoff, fullJitterDelay, type BackoffPolicy } from './backoff'
import { classifyActionFailure, classifyReadFailure, type ClassifiedFailure } from './failure'
import { Semaphore } from './limiter'
import {
  checkFailedError,
  conflictError,
  interruptedError,
  outcomeUnknownError,
  responseLostError,
  unappliedError
} from './messages'
import { loadItems, saveItems } from './outbox-persistence'
import type {
  ChangeListener,
  CredentialListener,
  EnqueueInput,
  FlushOptions,
  OutboxDeps,
  ProblemListener,
  StoredOutboxItem
} from './outbox-types'
import { itemsToPrune, type PrunePolicy } from './pruning'
import {
  readRequestState,
  readRequestStates,
  type RequestState,
  type StatesRead
} from './preflight'

const enqueueSchema = z.object({
  profileId: z.string().min(1).max(200),
  requestId: z.string().min(1).max(200),
  kind: z.enum(['approve', 'decline']),
  reason: z.string().max(2000).nullable().optional(),
  label: z
    .object({ developerEmail: z.string().nullable(), catalogueName: z.string().nullable() })
    .optional()
})

const isActive = (item: OutboxItem): boolean => activeOutboxStates.has(item.state)
const requestKey = (item: { profileId: string; requestId: string }): string =>
  `${item.profileId}\u0000${item.requestId}`
const actionKey = (item: { profileId: string; requestId: string; kind: string }): string =>
  `${requestKey(item)}\u0000${item.kind}`
const iso = (ms: number): string => new Date(ms).toISOString()

function toPublic(item: StoredOutboxItem): OutboxItem {
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
    nextAttemptAt: item.nextAttemptAt
  }
}

/** One flush of one profile: what it found worth reporting, and whether it must stop taking work. */
interface RunContext {
  profileId: string
  problems: Map<string, StoredOutboxItem>
  /** Auth failed: the profile is parked, nothing more is sent. */
  stopped: boolean
  /** 429: nothing more is sent before this time. */
  pausedUntil: number | null
}

interface ProfileRun {
  again: boolean
  ignoreBackoff: boolean
  done: Promise<void>
}

type RunMode = 'send' | 'reconcile'

/**
 * The durable queue of approve/decline actions and its replay engine
 * (docs/architecture.md#outbox).
 *
 * Every action is written to the store before anything is sent; each item is durable as
 * `sending` before its call goes out (a whole batch per write). Before sending, one pending-list
 * read per profile (plus a GET for each request missing from it) decides whether the action still
 * applies. An approve or decline whose outcome is unknown is never resent blindly: the request is
 * re-read, and only a "still pending" read taken after `reconcileGraceMs` allows another call.
 */
export class Outbox {
  private readonly store: KeyValueStore
  private readonly clock: Clock
  private readonly random: () => number
  private readonly logger: Logger | undefined
  private readonly concurrency: number
  private readonly backoff: BackoffPolicy
  private readonly batchSize: number
  private readonly graceMs: number
  private readonly maxListAgeMs: number
  private readonly prunePolicy: PrunePolicy
  private readonly profileSlots: Semaphore
  private readonly items = new Map<string, StoredOutboxItem>()
  /** Entries of the file this version cannot read: written back untouched. */
  private readonly unreadable: readonly unknown[]
  private readonly inFlight = new Set<string>()
  private readonly runs = new Map<string, ProfileRun>()
  private readonly profileFailures = new Map<string, number>()
  private readonly itemFailures = new Map<string, number>()
  private readonly changeListeners = new Set<ChangeListener>()
  private readonly credentialListeners = new Set<CredentialListener>()
  private readonly problemListeners = new Set<ProblemListener>()
  private readonly waiters = new Map<string, Set<() => void>>()
  private recovery: Promise<void> | null = null
  private cancelWake: (() => void) | null = null
  private started = false
  /** Set by `stop()`: no flush starts or goes on taking items after it. */
  private closed = false

  /** Loads the queue from the store; call `recover()` (or `start()`) before relying on it. */
  constructor(private readonly deps: OutboxDeps) {
    this.store = deps.store
    this.clock = deps.clock
    this.random = deps.random ?? Math.random
    this.logger = deps.logger
    this.concurrency = Math.max(1, deps.concurrency ?? 4)
    this.backoff = deps.backoff ?? defaultBackoff
    this.batchSize = Math.max(1, deps.batchSize ?? 128)
    this.graceMs = deps.reconcileGraceMs ?? 15_000
    this.maxListAgeMs = deps.preflightMaxAgeMs ?? 30_000
    this.prunePolicy = {
      retentionMs: Math.max(0, deps.finishedRetentionMs ?? 7 * 24 * 60 * 60_000),
      maxFinished: Math.max(0, deps.maxFinishedItems ?? 500)
    }
    this.profileSlots = new Semaphore(Math.max(1, deps.maxParallelProfiles ?? 4))
    const loaded = loadItems(this.store, this.logger, this.clock.now())
    for (const item of loaded.items) this.items.set(item.opId, item)
    this.unreadable = loaded.unreadable
  }

  /**
   * Reconciles every item a previous process left `sending`, before anything else is sent: its
   * request is re-read, approved/gone settle it, "still pending" keeps it until the grace period
   * ends. Then drops finished items past their retention. Idempotent; `flush()` waits for it.
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
   * Queues one action, durably, before returning. Queuing the same kind for a request that
   * already has that kind active returns the existing item instead of a second one.
   * Throws `AppFailure` VALIDATION for bad input, INTERNAL when the store cannot be written.
   */
  enqueue(input: EnqueueInput): OutboxItem {
    return this.enqueueMany([input])[0] as OutboxItem
  }

  /** Queues several actions (bulk triage) with a single store write. */
  enqueueMany(inputs: readonly EnqueueInput[]): OutboxItem[] {
    const parsed = inputs.map((input) => {
      const result = enqueueSchema.safeParse(input)
      if (!result.success) {
        throw new AppFailure(
          'VALIDATION',
          `Invalid outbox action: ${result.error.issues[0]?.message}`
        )
      }
      return result.data
    })
    const now = iso(this.clock.now())
    const added: StoredOutboxItem[] = []
    const active = this.activeByAction()
    const items = parsed.map((input) => {
      const existing = active.get(actionKey(input))
      if (existing) return existing
      const item: StoredOutboxItem = {
        opId: randomUUID(),
        profileId: input.profileId,
        requestId: input.requestId,
        kind: input.kind,
        reason: input.reason ?? null,
        createdAt: now,
        updatedAt: now,
        attempts: 0,
        state: 'queued',
        lastError: null,
        resolution: null,
        label: input.label ?? { developerEmail: null, catalogueName: null },
        nextAttemptAt: null,
        verifyAfter: null,
        holdUntil: null
      }
      this.items.set(item.opId, item)
      active.set(actionKey(item), item)
      added.push(item)
      return item
    })
    if (added.length > 0) {
      try {
        this.persist()
      } catch (thrown) {
        for (const item of added) this.items.delete(item.opId)
        throw new AppFailure('INTERNAL', `Could not save the outbox: ${String(thrown)}`)
      }
      this.schedule()
    }
    return items.map(toPublic)
  }

  /**
   * Sends what is due for one profile, or for every profile (in parallel, bounded). Items waiting
   * out a backoff stay put unless `ignoreBackoff`. A flush already running for a profile is joined
   * and runs once more afterwards, so nothing queued meanwhile is missed.
   */
  async flush(profileId?: string, options: FlushOptions = {}): Promise<void> {
    await this.recover()
    if (this.closed) return
    const profiles = profileId !== undefined ? [profileId] : this.profilesWithWork()
    await Promise.all(profiles.map((id) => this.flushProfile(id, options.ignoreBackoff === true)))
  }

  /**
   * Resolves with the item once it has an outcome to show: a final state, `needs-auth`, or a
   * failed attempt it will retry on its own. On timeout (measured on the clock) it resolves with
   * the item as it is then. Throws NOT_FOUND for an unknown opId.
   */
  async waitForSettled(opId: string, timeoutMs: number): Promise<OutboxItem> {
    const item = this.require(opId)
    if (this.hasOutcome(item)) return toPublic(item)
    return new Promise((resolve) => {
      let finished = false
      const checks = this.waiters.get(opId) ?? new Set<() => void>()
      this.waiters.set(opId, checks)
      const finish = (): void => {
        if (finished) return
        finished = true
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

  /**
   * Every item, oldest first. Items that need the user stay until the user deals with them;
   * finished ones (conflicts included) go after `finishedRetentionMs` or beyond `maxFinishedItems`.
   */
  list(): OutboxItem[] {
    return [...this.items.values()].map(toPublic)
  }

  get(opId: string): OutboxItem | null {
    const item = this.items.get(opId)
    return item ? toPublic(item) : null
  }

  /**
   * Tries an item again now: `failed` and `queued` items are (re)queued, a `sending` item waiting
   * to re-check an unknown outcome re-checks now, and `needs-auth` re-queues the whole profile.
   * Throws CONFLICT for an item in flight or already finished, NOT_FOUND for an unknown opId.
   */
  retry(opId: string): void {
    const item = this.require(opId)
    if (this.inFlight.has(opId)) {
      throw new AppFailure('CONFLICT', 'This action is being sent right now; wait for its outcome.')
    }
    switch (item.state) {
      case 'needs-auth':
        this.requeueProfile(item.profileId)
        return
      case 'failed':
      case 'queued':
        item.state = 'queued'
        item.lastError = null
        break
      case 'sending':
        break
      default:
        throw new AppFailure(
          'CONFLICT',
          `This action already ended (${item.state}); there is nothing to retry.`
        )
    }
    item.nextAttemptAt = null
    item.holdUntil = null
    this.itemFailures.delete(opId)
    this.touch(item)
    this.persist()
    this.schedule()
  }

  /**
   * Cancels a `queued` item; nothing is sent for it. Throws CONFLICT for any other state, and for
   * an item whose earlier attempt may have reached the Dashboard; NOT_FOUND for an unknown opId.
   */
  cancel(opId: string): void {
    const item = this.require(opId)
    if (item.state !== 'queued' || this.inFlight.has(opId)) {
      throw new AppFailure(
        'CONFLICT',
        `Only queued actions can be cancelled; this one is ${item.state}.`
      )
    }
    if (item.verifyAfter !== null) {
      throw new AppFailure(
        'CONFLICT',
        'An earlier attempt of this action may have reached the Dashboard: Keygate must check the request before it can be cancelled.'
      )
    }
    item.state = 'cancelled'
    item.nextAttemptAt = null
    this.touch(item)
    this.persist()
    this.notifyWaiters(item)
    this.schedule()
  }

  /**
   * Re-queues every `needs-auth` item of a profile (call it when the profile's secret changes),
   * or only those parked by an error with code `only` (the keychain answering again).
   * Returns how many were re-queued.
   */
  requeueProfile(profileId: string, only?: ErrorCode): number {
    let count = 0
    for (const item of this.items.values()) {
      if (item.profileId !== profileId || item.state !== 'needs-auth') continue
      if (only !== undefined && item.lastError?.code !== only) continue
      item.state = 'queued'
      item.lastError = null
      item.nextAttemptAt = null
      this.touch(item)
      count += 1
    }
    this.profileFailures.delete(profileId)
    if (count > 0) {
      this.persist()
      this.schedule()
    }
    return count
  }

  /** A profile's actions still to send (queued, sending, needs-auth) and those that failed. */
  pendingCounts(profileId: string): { queued: number; failed: number } {
    let queued = 0
    let failed = 0
    for (const item of this.items.values()) {
      if (item.profileId !== profileId) continue
      if (isActive(item)) queued += 1
      else if (item.state === 'failed') failed += 1
    }
    return { queued, failed }
  }

  /**
   * Cancels every action of a profile that can be (queued, needs-auth, failed): the user chose
   * to drop them rather than send them. Items whose call may have reached the Dashboard stay.
   */
  cancelProfile(profileId: string): void {
    let count = 0
    for (const item of this.items.values()) {
      if (item.profileId !== profileId || this.inFlight.has(item.opId)) continue
      const cancellable =
        (item.state === 'queued' && item.verifyAfter === null) ||
        item.state === 'needs-auth' ||
        item.state === 'failed'
      if (!cancellable) continue
      item.state = 'cancelled'
      item.nextAttemptAt = null
      this.touch(item)
      this.notifyWaiters(item)
      count += 1
    }
    if (count > 0) this.persist()
  }

  /**
   * Forgets every item of a deleted profile, whatever its state: nothing more is sent for it and
   * waiters resolve with the item `cancelled`. A call already on the wire still finishes, but its
   * outcome is no longer recorded. Returns how many items were dropped.
   */
  dropProfile(profileId: string): number {
    const dropped: StoredOutboxItem[] = []
    for (const item of this.items.values()) {
      if (item.profileId === profileId) dropped.push(item)
    }
    this.profileFailures.delete(profileId)
    if (dropped.length === 0) return 0
    for (const item of dropped) {
      this.items.delete(item.opId)
      this.itemFailures.delete(item.opId)
    }
    this.persist()
    for (const item of dropped) {
      if (!isActive(item)) continue
      item.state = 'cancelled'
      item.nextAttemptAt = null
      this.touch(item)
      this.notifyWaiters(item)
    }
    this.schedule()
    return dropped.length
  }

  /** Called with the whole list after each store write (batched during a flush). */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  /** The only place an approval's credential goes: it is never stored or logged. */
  onCredential(listener: CredentialListener): () => void {
    this.credentialListeners.add(listener)
    return () => this.credentialListeners.delete(listener)
  }

  /** After each profile flush that left items `conflict`, `failed` or `needs-auth`: those items. */
  onSettled(listener: ProblemListener): () => void {
    this.problemListeners.add(listener)
    return () => this.problemListeners.delete(listener)
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
      const at = item.nextAttemptAt === null ? now : Date.parse(item.nextAttemptAt)
      earliest = earliest === null ? at : Math.min(earliest, at)
    }
    return earliest
  }

  /** Recovers, then flushes on its own whenever an item becomes due (timers on the clock). */
  start(): void {
    this.started = true
    this.recover().then(
      () => this.schedule(),
      (thrown: unknown) => this.logger?.error('Outbox recovery failed', { error: String(thrown) })
    )
  }

  /** Stops the timer and waits for running flushes to finish. */
  async stop(): Promise<void> {
    this.started = false
    this.closed = true
    this.cancelWake?.()
    this.cancelWake = null
    await this.recovery?.catch(() => undefined)
    // A run that failed (a full disk) has told its own callers; stopping still finishes.
    await Promise.allSettled([...this.runs.values()].map((run) => run.done))
  }

  private async reconcileInterrupted(): Promise<void> {
    const now = this.clock.now()
    const profiles = new Set<string>()
    for (const item of this.items.values()) {
      if (item.state !== 'sending') continue
      // Left `sending` by a process that is gone: its call may be on the wire or applied.
      if (item.verifyAfter === null) {
        item.verifyAfter = now + this.graceMs
        item.lastError = interruptedError
      }
      item.nextAttemptAt = null
      this.touch(item)
      profiles.add(item.profileId)
    }
    if (profiles.size === 0) return
    this.persist()
    await Promise.all(
      [...profiles].map((profileId) =>
        this.withProfileSlot(() => this.runProfile(profileId, 'reconcile', false))
      )
    )
  }

  /**
   * A reconciliation that ran has already pruned in its last write; otherwise this is the one
   * write of the start. A failed write only delays the pruning to the next write, so it must not
   * fail recovery, which every flush waits for.
   */
  private pruneAtStart(): void {
    if (!this.pruneFinished()) return
    try {
      this.persist()
    } catch (thrown) {
      this.logger?.warn('Could not write the pruned outbox; the next write will', {
        error: String(thrown)
      })
    }
  }

  /** Drops finished items past the retention or the cap, in memory; true when any went. */
  private pruneFinished(): boolean {
    const gone = itemsToPrune(this.items.values(), this.clock.now(), this.prunePolicy)
    for (const opId of gone) this.items.delete(opId)
    if (gone.length > 0) this.logger?.info('Pruned finished outbox actions', { count: gone.length })
    return gone.length > 0
  }

  private async withProfileSlot<T>(task: () => Promise<T>): Promise<T> {
    await this.profileSlots.acquire()
    try {
      return await task()
    } finally {
      this.profileSlots.release()
    }
  }

  private flushProfile(profileId: string, ignoreBackoff: boolean): Promise<void> {
    const current = this.runs.get(profileId)
    if (current) {
      current.again = true
      current.ignoreBackoff ||= ignoreBackoff
      return current.done
    }
    const run: ProfileRun = { again: true, ignoreBackoff, done: Promise.resolve() }
    this.runs.set(profileId, run)
    run.done = this.withProfileSlot(async () => {
      try {
        while (!this.closed) {
          run.again = false
          const ignore = run.ignoreBackoff
          run.ignoreBackoff = false
          if (await this.runProfile(profileId, 'send', ignore)) run.again = true
          // Leave the map in the same turn as the last check, so a later caller starts a new run.
          if (!run.again) break
        }
      } finally {
        if (this.runs.get(profileId) === run) this.runs.delete(profileId)
      }
    }).finally(() => this.schedule())
    return run.done
  }

  /**
   * One pass over a profile's due items. Returns true when it finished an item that another
   * action on the same request was waiting behind, so the caller runs again.
   */
  private async runProfile(
    profileId: string,
    mode: RunMode,
    ignoreBackoff: boolean
  ): Promise<boolean> {
    const due = this.dueHeads(profileId, mode, ignoreBackoff)
    if (due.length === 0) return false
    const run: RunContext = { profileId, problems: new Map(), stopped: false, pausedUntil: null }
    try {
      await this.process(run, due, mode)
    } catch (thrown) {
      this.logger?.error('Outbox flush failed unexpectedly', { profileId, error: String(thrown) })
      // Keep the scheduler from spinning on items a bug left due.
      this.backoffProfile(run, due, {
        kind: 'transient',
        error: {
          code: 'INTERNAL',
          message: `Unexpected error in the outbox: ${String(thrown)}`,
          retryable: true
        },
        retryAfterMs: null
      })
    } finally {
      // Folded into the write every pass makes anyway: no item just settled is old enough to go.
      this.pruneFinished()
      this.persist()
      this.emitProblems(run)
    }
    return this.unblockedAny(due)
  }

  private async process(run: RunContext, due: StoredOutboxItem[], mode: RunMode): Promise<void> {
    const client = await this.openClient(run, due)
    if (!client) return
    const readAt = this.clock.now()
    const read = await readRequestStates(
      client,
      due.map((item) => item.requestId),
      this.concurrency
    )
    const sendable = this.applyRead(run, due, read)
    if (mode === 'send' && sendable.length > 0) await this.sendAll(run, client, sendable, readAt)
  }

  private async openClient(run: RunContext, due: StoredOutboxItem[]): Promise<PortalClient | null> {
    try {
      return await this.deps.clientFor(run.profileId)
    } catch (thrown) {
      const failure = classifyReadFailure(thrown)
      // No usable secret (or no keychain) needs the user just as a rejected one does.
      if (failure.kind === 'transient') this.backoffProfile(run, due, failure)
      else this.parkProfile(run, failure.error)
      return null
    }
  }

  /** Applies a pre-flight read to the items; returns those to send. */
  private applyRead(
    run: RunContext,
    items: StoredOutboxItem[],
    read: StatesRead
  ): StoredOutboxItem[] {
    if (!read.ok) {
      if (read.failure.kind === 'auth') this.parkProfile(run, read.failure.error)
      else this.backoffProfile(run, items, read.failure)
      return []
    }
    this.profileFailures.delete(run.profileId)
    const sendable: StoredOutboxItem[] = []
    for (const item of items) {
      if (!this.isWorkable(item)) continue
      const failure = read.failures.get(item.requestId)
      if (failure) {
        if (failure.kind === 'transient') this.backoffItem(item, failure)
        else this.settle(run, item, 'failed', null, checkFailedError(failure.error))
        continue
      }
      const state = read.states.get(item.requestId)
      if (state !== undefined && this.applyState(run, item, state) === 'send') sendable.push(item)
    }
    return sendable
  }

  /**
   * Decides an item from its request's state on the Dashboard (docs/architecture.md#preflight,
   * #reconciliation): first decision wins,
   * a DELETE never hits an approved request, and an item whose earlier call may have landed is
   * sent again only on a "pending" read taken after its grace period.
   */
  private applyState(
    run: RunContext,
    item: StoredOutboxItem,
    state: RequestState
  ): 'send' | 'wait' | 'settled' {
    const unsure = item.verifyAfter !== null
    if (state === 'pending') {
      if (item.verifyAfter !== null && this.clock.now() < item.verifyAfter) {
        item.nextAttemptAt = iso(item.verifyAfter)
        this.touch(item)
        this.notifyWaiters(item)
        return 'wait'
      }
      if (unsure) {
        item.verifyAfter = null
        item.state = 'queued'
        this.touch(item)
      }
      return 'send'
    }
    const progress = unsure ? 'unknown' : 'not-sent'
    if (state === 'approved') {
      if (item.kind === 'approve' && unsure) {
        // A non-retryable lastError is the portal's own words about the reply (e.g. an approve
        // answered without a key under secure key approval): worth keeping in the explanation.
        const cause = item.lastError
        const detail = cause && !cause.retryable ? cause.message : null
        const lost = responseLostError(cause?.code ?? 'INTERNAL', detail, item.label)
        this.settle(run, item, 'done', 'response-lost', lost)
      } else {
        this.settle(
          run,
          item,
          'conflict',
          'approved-elsewhere',
          conflictError(item.kind, 'approved-elsewhere', progress)
        )
      }
    } else if (item.kind === 'approve') {
      this.settle(
        run,
        item,
        'conflict',
        'removed-elsewhere',
        conflictError('approve', 'removed-elsewhere', progress)
      )
    } else {
      // A decline whose DELETE may have landed finds the request gone: most likely its own doing.
      this.settle(run, item, 'done', unsure ? null : 'already-removed', null)
    }
    return 'settled'
  }

  private async sendAll(
    run: RunContext,
    client: PortalClient,
    sendable: StoredOutboxItem[],
    firstReadAt: number
  ): Promise<void> {
    const queue = [...sendable]
    const reserved: StoredOutboxItem[] = []
    let readAt = firstReadAt
    let refreshing: Promise<void> | null = null

    const take = async (): Promise<StoredOutboxItem | null> => {
      for (;;) {
        if (run.stopped || run.pausedUntil !== null || this.closed) return null
        const next = reserved.shift()
        if (next) {
          if (next.state === 'sending') return next
          continue
        }
        if (refreshing) {
          await refreshing
          continue
        }
        if (queue.length === 0) return null
        if (this.clock.now() - readAt > this.maxListAgeMs) {
          refreshing = this.refreshQueue(run, client, queue)
            .then((at) => {
              readAt = at
            })
            .finally(() => {
              refreshing = null
            })
          continue
        }
        this.reserve(queue, reserved)
      }
    }
    const worker = async (): Promise<void> => {
      for (let item = await take(); item; item = await take()) await this.sendOne(run, client, item)
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, sendable.length) }, worker))

    // Reserved but never sent (the run paused or stopped): known not to have gone out.
    const resumeAt = run.pausedUntil === null ? null : iso(run.pausedUntil)
    for (const item of reserved) {
      if (item.state !== 'sending' || this.inFlight.has(item.opId)) continue
      item.state = 'queued'
      item.nextAttemptAt = resumeAt
      item.holdUntil = run.pausedUntil
      this.touch(item)
    }
    if (resumeAt !== null) {
      for (const item of queue) {
        if (item.state !== 'queued') continue
        item.nextAttemptAt = resumeAt
        item.holdUntil = run.pausedUntil
        this.touch(item)
      }
    }
  }

  /** Marks the next batch `sending` and makes it durable in one write, before any call goes out. */
  private reserve(queue: StoredOutboxItem[], reserved: StoredOutboxItem[]): void {
    const batch: StoredOutboxItem[] = []
    while (batch.length < this.batchSize && queue.length > 0) {
      const item = queue.shift() as StoredOutboxItem
      if (item.state !== 'queued' || item.verifyAfter !== null || this.inFlight.has(item.opId))
        continue
      item.state = 'sending'
      item.nextAttemptAt = null
      item.holdUntil = null
      this.touch(item)
      batch.push(item)
    }
    if (batch.length === 0) return
    this.persist()
    reserved.push(...batch)
  }

  /** Re-reads states for the rest of a long flush; one call at a time to stay within the bound. */
  private async refreshQueue(
    run: RunContext,
    client: PortalClient,
    queue: StoredOutboxItem[]
  ): Promise<number> {
    const readAt = this.clock.now()
    const items = queue.splice(0)
    const read = await readRequestStates(
      client,
      items.map((item) => item.requestId),
      1
    )
    queue.push(...this.applyRead(run, items, read))
    return readAt
  }

  private async sendOne(
    run: RunContext,
    client: PortalClient,
    item: StoredOutboxItem
  ): Promise<void> {
    this.inFlight.add(item.opId)
    item.attempts += 1
    try {
      if (item.kind === 'approve') {
        const credential = await client.approve(item.requestId)
        this.settle(run, item, 'done', null, null)
        this.emitCredential(item, credential)
      } else {
        await client.decline(item.requestId)
        this.settle(run, item, 'done', null, null)
      }
    } catch (thrown) {
      await this.handleSendFailure(run, client, item, classifyActionFailure(thrown))
    } finally {
      this.inFlight.delete(item.opId)
      this.notifyWaiters(item)
    }
  }

  private async handleSendFailure(
    run: RunContext,
    client: PortalClient,
    item: StoredOutboxItem,
    failure: ClassifiedFailure
  ): Promise<void> {
    switch (failure.kind) {
      case 'not-found':
        if (item.kind === 'approve') {
          this.settle(
            run,
            item,
            'conflict',
            'removed-elsewhere',
            conflictError('approve', 'removed-elsewhere', 'refused')
          )
        } else {
          this.settle(run, item, 'done', 'already-removed', null)
        }
        return
      case 'conflict':
        if (item.kind === 'approve') {
          this.settle(
            run,
            item,
            'conflict',
            'approved-elsewhere',
            conflictError('approve', 'approved-elsewhere', 'refused')
          )
        } else {
          this.settle(run, item, 'failed', null, failure.error)
        }
        return
      case 'transient':
        this.backoffItem(item, failure)
        if (failure.error.code === 'RATE_LIMITED' && item.nextAttemptAt !== null) {
          // The Dashboard asked the whole client to slow down, not just this item.
          run.pausedUntil = Math.max(run.pausedUntil ?? 0, Date.parse(item.nextAttemptAt))
        }
        return
      case 'auth':
        this.settle(run, item, 'needs-auth', null, failure.error)
        this.parkProfile(run, failure.error)
        return
      case 'rejected':
        this.settle(run, item, 'failed', null, failure.error)
        return
      case 'unknown-outcome':
      case 'unexpected':
        item.verifyAfter = this.clock.now() + this.graceMs
        item.lastError =
          failure.kind === 'unknown-outcome'
            ? outcomeUnknownError(item.kind, failure.error)
            : failure.error
        this.touch(item)
        await this.reconcileNow(run, client, item, failure)
    }
  }

  /** Right after a call of unknown outcome: one GET, on the same worker, so calls never overlap. */
  private async reconcileNow(
    run: RunContext,
    client: PortalClient,
    item: StoredOutboxItem,
    cause: ClassifiedFailure
  ): Promise<void> {
    let state: RequestState
    try {
      state = await readRequestState(client, item.requestId)
    } catch (thrown) {
      const failure = classifyReadFailure(thrown)
      if (failure.kind === 'auth') {
        this.settle(run, item, 'needs-auth', null, failure.error)
        this.parkProfile(run, failure.error)
      } else if (cause.kind === 'unexpected') {
        this.settle(run, item, 'failed', null, cause.error)
      } else {
        const streak = this.itemFailures.get(item.opId) ?? 0
        this.itemFailures.set(item.opId, streak + 1)
        item.nextAttemptAt = iso(
          this.clock.now() + fullJitterDelay(this.backoff, streak, this.random)
        )
        this.touch(item)
      }
      return
    }
    if (state === 'pending' && cause.kind === 'unexpected') {
      this.settle(run, item, 'failed', null, unappliedError(cause.error))
      return
    }
    this.applyState(run, item, state)
  }

  private settle(
    run: RunContext,
    item: StoredOutboxItem,
    state: OutboxState,
    resolution: OutboxResolutionReason | null,
    error: AppError | null
  ): void {
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
    if (problemOutboxStates.has(state)) run.problems.set(item.opId, item)
    this.logger?.info('Outbox action settled', {
      opId: item.opId,
      profileId: item.profileId,
      requestId: item.requestId,
      kind: item.kind,
      state,
      resolution,
      code: error?.code ?? null
    })
    this.notifyWaiters(item)
  }

  /** A transient failure of one item: capped exponential backoff with full jitter. */
  private backoffItem(item: StoredOutboxItem, failure: ClassifiedFailure): void {
    const streak = this.itemFailures.get(item.opId) ?? 0
    this.itemFailures.set(item.opId, streak + 1)
    const delay = Math.max(
      failure.retryAfterMs ?? 0,
      fullJitterDelay(this.backoff, streak, this.random)
    )
    if (item.state === 'sending' && item.verifyAfter === null) item.state = 'queued'
    item.holdUntil = this.clock.now() + delay
    item.nextAttemptAt = iso(item.holdUntil)
    item.lastError = failure.error
    this.touch(item)
    this.notifyWaiters(item)
  }

  /** A transient failure of the whole profile (unreachable): one backoff, one wake-up. */
  private backoffProfile(
    run: RunContext,
    items: StoredOutboxItem[],
    failure: ClassifiedFailure
  ): void {
    const streak = this.profileFailures.get(run.profileId) ?? 0
    this.profileFailures.set(run.profileId, streak + 1)
    const delay = Math.max(
      failure.retryAfterMs ?? 0,
      fullJitterDelay(this.backoff, streak, this.random)
    )
    const at = this.clock.now() + delay
    for (const item of items) {
      if (!this.isWorkable(item)) continue
      if (item.state === 'sending' && item.verifyAfter === null) item.state = 'queued'
      item.nextAttemptAt = iso(Math.max(at, item.holdUntil ?? 0))
      item.lastError = failure.error
      this.touch(item)
      this.notifyWaiters(item)
    }
  }

  /** 401/403 (or no secret): every waiting item of the profile needs the user. */
  private parkProfile(run: RunContext, error: AppError): void {
    run.stopped = true
    for (const item of this.items.values()) {
      if (item.profileId !== run.profileId || !this.isWorkable(item)) continue
      this.settle(run, item, 'needs-auth', null, error)
    }
  }

  private emitCredential(item: StoredOutboxItem, credential: IssuedCredential): void {
    if (this.credentialListeners.size === 0) {
      this.logger?.warn('An approval issued a credential but nothing listens for it', {
        opId: item.opId
      })
    }
    const snapshot = toPublic(item)
    for (const listener of this.credentialListeners) {
      try {
        listener(snapshot, credential)
      } catch (thrown) {
        this.logger?.error('Credential listener failed', { opId: item.opId, error: String(thrown) })
      }
    }
  }

  private emitProblems(run: RunContext): void {
    if (run.problems.size === 0) return
    const items = [...run.problems.values()].map(toPublic)
    for (const listener of this.problemListeners) {
      try {
        listener(items)
      } catch (thrown) {
        this.logger?.error('Outbox problem listener failed', { error: String(thrown) })
      }
    }
  }

  /** One write of the whole queue, then the change listeners. */
  private persist(): void {
    saveItems(this.store, this.items.values(), this.unreadable)
    if (this.changeListeners.size === 0) return
    const items = this.list()
    for (const listener of this.changeListeners) {
      try {
        listener(items)
      } catch (thrown) {
        this.logger?.error('Outbox change listener failed', { error: String(thrown) })
      }
    }
  }

  private schedule(): void {
    if (!this.started) return
    this.cancelWake?.()
    this.cancelWake = null
    const at = this.nextWakeAt()
    if (at === null) return
    this.cancelWake = this.clock.setTimeout(
      () => {
        this.cancelWake = null
        this.flush().catch((thrown: unknown) =>
          this.logger?.error('Scheduled outbox flush failed', { error: String(thrown) })
        )
      },
      Math.max(0, at - this.clock.now())
    )
  }

  /** The first active item of each request, in creation order: only it may be worked on. */
  private *heads(profileId?: string): Generator<StoredOutboxItem> {
    const seen = new Set<string>()
    for (const item of this.items.values()) {
      if (!isActive(item) || (profileId !== undefined && item.profileId !== profileId)) continue
      const key = requestKey(item)
      if (seen.has(key)) continue
      seen.add(key)
      yield item
    }
  }

  private dueHeads(profileId: string, mode: RunMode, ignoreBackoff: boolean): StoredOutboxItem[] {
    const now = this.clock.now()
    const due: StoredOutboxItem[] = []
    for (const item of this.heads(profileId)) {
      if (!this.isWorkable(item)) continue
      if (mode === 'reconcile' && item.state !== 'sending') continue
      const waitUntil = item.nextAttemptAt === null ? null : Date.parse(item.nextAttemptAt)
      // What the Dashboard said about this very item holds whatever the connectivity does.
      if ((item.holdUntil ?? 0) > now) continue
      if (!ignoreBackoff && waitUntil !== null && waitUntil > now) continue
      if (item.state === 'sending' && item.verifyAfter === null) {
        // Left `sending` by a failed write or an interrupted flush: its call may have gone out.
        item.verifyAfter = now + this.graceMs
        item.lastError = interruptedError
      }
      due.push(item)
    }
    return due
  }

  private profilesWithWork(): string[] {
    const profiles = new Set<string>()
    for (const item of this.heads()) if (item.state !== 'needs-auth') profiles.add(item.profileId)
    return [...profiles]
  }

  /** True when one of `finished` was the head of a request that has another action waiting. */
  private unblockedAny(finished: StoredOutboxItem[]): boolean {
    const ended = new Set(finished.filter((item) => !isActive(item)).map(requestKey))
    if (ended.size === 0) return false
    for (const item of this.items.values()) {
      if (isActive(item) && ended.has(requestKey(item))) return true
    }
    return false
  }

  /** Active items by request and kind, for enqueue's duplicate check. */
  private activeByAction(): Map<string, StoredOutboxItem> {
    const active = new Map<string, StoredOutboxItem>()
    for (const item of this.items.values()) {
      if (isActive(item)) active.set(actionKey(item), item)
    }
    return active
  }

  /** Queued or sending, and not in a call right now. */
  private isWorkable(item: StoredOutboxItem): boolean {
    return (item.state === 'queued' || item.state === 'sending') && !this.inFlight.has(item.opId)
  }

  private hasOutcome(item: StoredOutboxItem): boolean {
    if (this.inFlight.has(item.opId)) return false
    if (item.state === 'queued' || item.state === 'sending') return item.lastError !== null
    return true
  }

  private notifyWaiters(item: StoredOutboxItem): void {
    const checks = this.waiters.get(item.opId)
    if (!checks) return
    for (const check of [...checks]) check()
  }

  private touch(item: StoredOutboxItem): void {
    item.updatedAt = iso(this.clock.now())
  }

  private require(opId: string): StoredOutboxItem {
    const item = this.items.get(opId)
    if (!item) throw new AppFailure('NOT_FOUND', 'That outbox action no longer exists.')
    return item
  }
}
