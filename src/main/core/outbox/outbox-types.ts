import type { ActionKind, IssuedCredential, OutboxItem } from '../../../shared/domain'
import type { Clock, KeyValueStore, Logger } from '../ports'
import type { PortalClient } from '../portal/portal-client'
import type { BackoffPolicy } from './backoff'

export interface OutboxDeps {
  /** The `outbox` store file; the whole queue lives under one key. */
  store: KeyValueStore
  /** A client for the profile; throws `AppFailure` (e.g. KEYCHAIN_UNAVAILABLE) when it cannot. */
  clientFor(profileId: string): Promise<PortalClient>
  clock: Clock
  /** Uniform [0, 1) source for backoff jitter; seed it in tests. Default Math.random. */
  random?: () => number
  logger?: Logger
  /** Calls in flight per profile. Default 4. */
  concurrency?: number
  /** Profiles flushing at once. Default 4. */
  maxParallelProfiles?: number
  /** Default 1 s base, 5 min cap. */
  backoff?: BackoffPolicy
  /**
   * Items marked `sending` per store write. Each write rewrites the whole queue, so a flush costs
   * (its items / batchSize) writes of everything queued: at 32, 3 x 500 approvals took 52 writes of
   * 1,500 items, half a second on the event loop all profiles share. A larger batch leaves more
   * items `sending` after a crash; they cost no extra call (recovery's list read covers them), only
   * the grace period's wait before they are sent. Default 128.
   */
  batchSize?: number
  /**
   * After a call whose outcome is unknown (or a crash while `sending`), how long Keygate waits
   * before trusting a "still pending" read enough to send again: a call the Dashboard is still
   * processing must land first. Default 15 s (longer than the client's 10 s timeout).
   */
  reconcileGraceMs?: number
  /**
   * A flush reads the pending list once; a flush still sending after this long reads it again
   * before marking more items `sending`, so a long replay does not act on a stale list. Default 30 s.
   */
  preflightMaxAgeMs?: number
  /**
   * Finished items (done, conflict, cancelled) leave the list and the store this long after they
   * finished; the decision log keeps who decided what. Items that still need the user (failed,
   * needs-auth) or the outbox (queued, sending) always stay. Default 7 days.
   */
  finishedRetentionMs?: number
  /**
   * At most this many finished items stay, the most recently finished, so a bulk triage does not
   * make every later write rewrite thousands of items. Neither limit drops an item within an hour
   * of it finishing. Default 500.
   */
  maxFinishedItems?: number
}

export interface EnqueueInput {
  profileId: string
  requestId: string
  kind: ActionKind
  reason?: string | null
  label?: OutboxItem['label']
  /**
   * The undo window: the item is not sent before this many ms have passed, whatever flush asks
   * (a reconnect's or start-up's `ignoreBackoff` included); only `cancel` or the end frees it.
   */
  holdMs?: number
}

export interface FlushOptions {
  /** Try items waiting out a backoff now (e.g. the profile just came back online). */
  ignoreBackoff?: boolean
}

/** What the store holds per item: the public item plus the reconciliation deadline. */
export interface StoredOutboxItem extends OutboxItem {
  /**
   * Epoch ms; set while an earlier call may have reached the Dashboard. Until this time a
   * "still pending" read is not trusted enough to send again; any other read settles the item.
   */
  verifyAfter: number | null
  /**
   * Epoch ms; set when the Dashboard answered this item's call with a failure (5xx, 429 and its
   * Retry-After), or by `holdMs` when queued (the undo window). Unlike a backoff for an unreachable portal, no reconnect or restart shortens it:
   * only the user's Retry does. Absent in entries written before it existed.
   */
  holdUntil?: number | null
}

export type ChangeListener = (items: OutboxItem[]) => void
/** Receives the credential of an approval; the only place it ever goes. */
export type CredentialListener = (item: OutboxItem, credential: IssuedCredential) => void
/** Items that ended `conflict`, `failed` or `needs-auth` during one profile's flush. */
export type ProblemListener = (items: OutboxItem[]) => void
