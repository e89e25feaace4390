import type { IssuedCredential, OutboxItem } from '../../../shared/domain'
import { problemOutboxStates } from '../../../shared/outbox-states'
import type { AppError } from '../../../shared/result'
import type { Clock, Logger } from '../ports'
import type { PortalClient } from '../portal/portal-client'
import { fullJitterDelay, type BackoffPolicy } from './backoff'
import { classifyActionFailure, classifyReadFailure, type ClassifiedFailure } from './failure'
import type { StoredOutboxItem } from './outbox-types'
import { readRequestState, readRequestStates, type StatesRead } from './preflight'
import { iso, toPublic, type OutboxQueue } from './queue'
import {
  decideFromFailure,
  decideFromRead,
  type FailureDecision,
  type FailureStage,
  type ReadDecision,
  type Settle
} from './transitions'

export interface ReplayDeps {
  queue: OutboxQueue
  clientFor(profileId: string): Promise<PortalClient>
  clock: Clock
  random: () => number
  logger: Logger | undefined
  concurrency: number
  backoff: BackoffPolicy
  batchSize: number
  graceMs: number
  maxListAgeMs: number
  /** True once the outbox stops: no more items are taken. */
  closed(): boolean
}

/** `reconcile`: only re-read items left `sending` (start-up); `send`: the full pass. */
export type PassMode = 'send' | 'reconcile'

export interface PassReport {
  /** Items the pass took up. */
  due: number
  /** Items that ended `conflict`, `failed` or `needs-auth` during the pass. */
  problems: OutboxItem[]
  /** One of them was the head of a request with another action waiting: run again. */
  unblocked: boolean
}

/**
 * One replay pass over one profile's due items (docs/architecture.md#outbox-modules): open the
 * client, read what still applies, reserve batches durably as `sending`, send with bounded
 * workers, reconcile unknown outcomes. The caller writes the queue afterwards.
 */
export async function replayProfile(
  deps: ReplayDeps,
  profileId: string,
  mode: PassMode,
  ignoreBackoff: boolean
): Promise<PassReport> {
  const pass = new ReplayPass(deps, profileId)
  const due = deps.queue.dueHeads(profileId, {
    sendingOnly: mode === 'reconcile',
    ignoreBackoff,
    graceMs: deps.graceMs
  })
  if (due.length === 0) return { due: 0, problems: [], unblocked: false }
  try {
    await pass.run(due, mode)
  } catch (thrown) {
    deps.logger?.error('Outbox flush failed unexpectedly', { profileId, error: String(thrown) })
    // Keep the scheduler from spinning on items a bug left due.
    pass.backoffProfile(due, {
      kind: 'transient',
      error: {
        code: 'INTERNAL',
        message: `Unexpected error in the outbox: ${String(thrown)}`,
        retryable: true
      },
      retryAfterMs: null
    })
  }
  return {
    due: due.length,
    problems: [...pass.problems.values()].map(toPublic),
    unblocked: deps.queue.unblockedAny(due)
  }
}

class ReplayPass {
  readonly problems = new Map<string, StoredOutboxItem>()
  /** Auth failed: the profile is parked, nothing more is sent. */
  private stopped = false
  /** 429: nothing more is sent before this time. */
  private pausedUntil: number | null = null
  private readonly queue: OutboxQueue

  constructor(
    private readonly deps: ReplayDeps,
    private readonly profileId: string
  ) {
    this.queue = deps.queue
  }

  async run(due: StoredOutboxItem[], mode: PassMode): Promise<void> {
    const client = await this.openClient(due)
    if (!client) return
    const readAt = this.deps.clock.now()
    const read = await readRequestStates(
      client,
      due.map((item) => item.requestId),
      this.deps.concurrency
    )
    const sendable = this.applyRead(due, read)
    if (mode === 'send' && sendable.length > 0) await this.sendAll(client, sendable, readAt)
  }

  private async openClient(due: StoredOutboxItem[]): Promise<PortalClient | null> {
    try {
      return await this.deps.clientFor(this.profileId)
    } catch (thrown) {
      const failure = classifyReadFailure(thrown)
      // No usable secret (or no keychain) needs the user just as a rejected one does.
      if (failure.kind === 'transient') this.backoffProfile(due, failure)
      else this.parkProfile(failure.error)
      return null
    }
  }

  /** Applies a pre-flight read to the items; returns those to send. */
  private applyRead(items: StoredOutboxItem[], read: StatesRead): StoredOutboxItem[] {
    if (!read.ok) {
      if (read.failure.kind === 'auth') this.parkProfile(read.failure.error)
      else this.backoffProfile(items, read.failure)
      return []
    }
    this.queue.profileFailures.delete(this.profileId)
    const sendable: StoredOutboxItem[] = []
    for (const item of items) {
      if (!this.queue.isWorkable(item)) continue
      const failure = read.failures.get(item.requestId)
      if (failure) {
        this.applyFailure(item, failure, { stage: 'preflight' })
        continue
      }
      const state = read.states.get(item.requestId)
      if (state === undefined) continue
      if (this.applyReadDecision(item, decideFromRead(item, state, this.deps.clock.now()))) {
        sendable.push(item)
      }
    }
    return sendable
  }

  /** Applies a decision from a read; true when the item is to be sent. */
  private applyReadDecision(item: StoredOutboxItem, decision: ReadDecision): boolean {
    switch (decision.action) {
      case 'send':
        if (decision.confirmed) {
          item.verifyAfter = null
          item.state = 'queued'
          this.queue.touch(item)
        }
        return true
      case 'wait':
        item.nextAttemptAt = iso(decision.until)
        this.queue.touch(item)
        return false
      case 'settle':
        this.settle(item, decision)
        return false
    }
  }

  private async sendAll(
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
        if (this.stopped || this.pausedUntil !== null || this.deps.closed()) return null
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
        if (this.deps.clock.now() - readAt > this.deps.maxListAgeMs) {
          refreshing = this.refreshQueue(client, queue)
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
      for (let item = await take(); item; item = await take()) await this.sendOne(client, item)
    }
    const workers = Math.min(this.deps.concurrency, sendable.length)
    await Promise.all(Array.from({ length: workers }, worker))

    // Reserved but never sent (the run paused or stopped): known not to have gone out.
    const resumeAt = this.pausedUntil === null ? null : iso(this.pausedUntil)
    for (const item of reserved) {
      if (item.state !== 'sending' || this.queue.inFlight.has(item.opId)) continue
      item.state = 'queued'
      item.nextAttemptAt = resumeAt
      item.holdUntil = this.pausedUntil
      this.queue.touch(item)
    }
    if (resumeAt !== null) {
      for (const item of queue) {
        if (item.state !== 'queued') continue
        item.nextAttemptAt = resumeAt
        item.holdUntil = this.pausedUntil
        this.queue.touch(item)
      }
    }
  }

  /** Marks the next batch `sending` and makes it durable in one write, before any call goes out. */
  private reserve(queue: StoredOutboxItem[], reserved: StoredOutboxItem[]): void {
    const batch: StoredOutboxItem[] = []
    while (batch.length < this.deps.batchSize && queue.length > 0) {
      const item = queue.shift() as StoredOutboxItem
      if (
        item.state !== 'queued' ||
        item.verifyAfter !== null ||
        this.queue.inFlight.has(item.opId)
      )
        continue
      item.state = 'sending'
      item.nextAttemptAt = null
      item.holdUntil = null
      this.queue.touch(item)
      batch.push(item)
    }
    if (batch.length === 0) return
    this.queue.persist({ wake: false })
    reserved.push(...batch)
  }

  /** Re-reads states for the rest of a long flush; one call at a time to stay within the bound. */
  private async refreshQueue(client: PortalClient, queue: StoredOutboxItem[]): Promise<number> {
    const readAt = this.deps.clock.now()
    const items = queue.splice(0)
    const read = await readRequestStates(
      client,
      items.map((item) => item.requestId),
      1
    )
    queue.push(...this.applyRead(items, read))
    return readAt
  }

  private async sendOne(client: PortalClient, item: StoredOutboxItem): Promise<void> {
    this.queue.inFlight.add(item.opId)
    item.attempts += 1
    try {
      if (item.kind === 'approve') {
        const credential = await client.approve(item.requestId)
        this.settle(item, { state: 'done', resolution: null, error: null })
        this.emitCredential(item, credential)
      } else {
        await client.decline(item.requestId)
        this.settle(item, { state: 'done', resolution: null, error: null })
      }
    } catch (thrown) {
      const failure = classifyActionFailure(thrown)
      if (this.applyFailure(item, failure, { stage: 'send' })) {
        await this.reconcileNow(client, item, failure)
      }
    } finally {
      this.queue.inFlight.delete(item.opId)
    }
  }

  /** Right after a call of unknown outcome: one GET, on the same worker, so calls never overlap. */
  private async reconcileNow(
    client: PortalClient,
    item: StoredOutboxItem,
    cause: ClassifiedFailure
  ): Promise<void> {
    try {
      const state = await readRequestState(client, item.requestId)
      const unexpected = cause.kind === 'unexpected' ? cause.error : null
      this.applyReadDecision(item, decideFromRead(item, state, this.deps.clock.now(), unexpected))
    } catch (thrown) {
      this.applyFailure(item, classifyReadFailure(thrown), { stage: 'check', cause })
    }
  }

  /** Applies a decision from a failure; true when the item is to be reconciled now. */
  private applyFailure(
    item: StoredOutboxItem,
    failure: ClassifiedFailure,
    where: FailureStage
  ): boolean {
    const streak = this.queue.itemFailures.get(item.opId) ?? 0
    const decision: FailureDecision = decideFromFailure(item, failure, where, {
      now: this.deps.clock.now(),
      backoffMs: this.jitter(streak, where, failure),
      graceMs: this.deps.graceMs
    })
    switch (decision.action) {
      case 'settle':
        this.settle(item, decision)
        return false
      case 'park':
        this.settle(item, {
          state: 'needs-auth',
          resolution: null,
          error: decision.error
        })
        this.parkProfile(decision.error)
        return false
      case 'reconcile':
        item.verifyAfter = decision.verifyAfter
        item.lastError = decision.error
        this.queue.touch(item)
        return true
      case 'retry':
        this.queue.itemFailures.set(item.opId, streak + 1)
        this.queue.waitUntil(item, decision)
        // The Dashboard asked the whole client to slow down, not just this item.
        if (decision.pauseProfile) this.pausedUntil = Math.max(this.pausedUntil ?? 0, decision.at)
        return false
    }
  }

  /** A backoff draw, made only for the failures that wait (the random sequence stays as it was). */
  private jitter(streak: number, where: FailureStage, failure: ClassifiedFailure): number {
    const waits =
      where.stage === 'check'
        ? failure.kind !== 'auth' && where.cause.kind !== 'unexpected'
        : failure.kind === 'transient'
    return waits ? fullJitterDelay(this.deps.backoff, streak, this.deps.random) : 0
  }

  private settle(item: StoredOutboxItem, decision: Omit<Settle, 'action'>): void {
    this.queue.settle(item, decision)
    if (problemOutboxStates.has(decision.state)) this.problems.set(item.opId, item)
  }

  /** A transient failure of the whole profile (unreachable): one backoff, one wake-up. */
  backoffProfile(items: StoredOutboxItem[], failure: ClassifiedFailure): void {
    const streak = this.queue.profileFailures.get(this.profileId) ?? 0
    this.queue.profileFailures.set(this.profileId, streak + 1)
    const delay = Math.max(
      failure.retryAfterMs ?? 0,
      fullJitterDelay(this.deps.backoff, streak, this.deps.random)
    )
    const at = this.deps.clock.now() + delay
    for (const item of items) {
      if (!this.queue.isWorkable(item)) continue
      if (item.state === 'sending' && item.verifyAfter === null) item.state = 'queued'
      item.nextAttemptAt = iso(Math.max(at, item.holdUntil ?? 0))
      item.lastError = failure.error
      this.queue.touch(item)
    }
  }

  /** 401/403 (or no secret): every waiting item of the profile needs the user. */
  private parkProfile(error: AppError): void {
    this.stopped = true
    for (const item of this.queue.items.values()) {
      if (item.profileId !== this.profileId || !this.queue.isWorkable(item)) continue
      this.settle(item, { state: 'needs-auth', resolution: null, error })
    }
  }

  private emitCredential(item: StoredOutboxItem, credential: IssuedCredential): void {
    if (this.queue.credentials.size === 0) {
      this.deps.logger?.warn('An approval issued a credential but nothing listens for it', {
        opId: item.opId
      })
    }
    this.queue.credentials.emit({ item: toPublic(item), credential })
  }
}
