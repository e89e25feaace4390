import type {
  ActionKind,
  DecisionLogEntry,
  OutboxItem,
  OutboxResolutionReason,
  OutboxState
} from '../src/shared/domain'
import type { ChaosProfile } from './core-driver'
import type { ChaosPortal } from './portals'
import type { Rival } from './rival'

/** One approve/decline the admin asked for, and what the core answered. */
export interface ActionRecord {
  step: number
  portal: number
  /** The profile the action was asked of (a portal gets a new one after a profile delete). */
  profileId: string
  requestId: string
  kind: ActionKind
  /**
   * `answered`: an ActionOutcome came back; `refused`: the handler threw; `interrupted`: a kill
   * cut it short.
   */
  result: 'answered' | 'refused' | 'interrupted'
  opId: string | null
}

export interface KillRecord {
  kind: 'instance' | 'process'
  step: number
  /** Items the store file held `sending` when the kill landed (this instance's own). */
  sendingOnDisk: number
}

/** The run's one-line verdict (printed as JSON). */
export interface ChaosSummary {
  actions: number
  done: number
  conflicts: number
  failed: number
  cancelled: number
  needsAuth: number
  lost: number
  doubleApprovals: number
  deletesOfApproved: number
  keysIssuedByKeygate: number
  rivalActions: number
  kills: number
  seed: number
  elapsedMs: number
  mode: string
  items: number
  /** Calls a kill cut before they answered; an admin saw no confirmation for them. */
  interrupted: number
  /** Of those, how many never reached the store (allowed: nobody told the admin it was queued). */
  interruptedUnrecorded: number
  refused: number
  processKills: number
  /** Emulator epochs that ran with a fault (of profiles x epochs). */
  faultEpochs: number
  /** Requests where the rival and Keygate both got a key (the pre-flight gap); not doubles. */
  racedApprovals: number
  /** Profiles deleted through `profiles:delete` and what their kept decision logs say. */
  profileDeletes?: ProfileDeleteFigures
  /** Machine faults: windows opened, store files damaged and set aside, clock jumps. */
  hostFaults?: {
    keychainHangs: number
    diskFull: number
    corruptedStores: number
    storesSetAside: number
    clockJumps: number
    /** Cancels, retries and secret updates the full disk or the hung keychain refused. */
    adminCallsRefused: number
  }
}

export interface ProfileDeleteFigures {
  /** Profiles deleted (each followed by a new profile for the same Dashboard). */
  deletes: number
  /** Of those, how many the admin first asked to send their pending actions. */
  sentFirst: number
  /** Entries in the deleted profiles' logs that the final outbox no longer holds. */
  entries: number
  /** Of those, `cancelled` ones, and those cancelled with `cancelled-outcome-unknown`. */
  cancelled: number
  cancelledOutcomeUnknown: number
  /**
   * Entries the log left `sending`: a call on the wire when its profile was dropped, which
   * finishes unrecorded (docs/architecture.md#profiles). Counted, not failed.
   */
  droppedInFlight: number
  /** Keys and deletes Keygate caused that only such a dropped call accounts for. */
  droppedInFlightEffects: number
}

/** A profile the run deleted, as the core still shows it at the end. */
export interface DeletedProfile {
  id: string
  portal: number
  /** Whether the admin asked to send its pending actions before cancelling what was left. */
  sentFirst: boolean
  /** Its decision log (`decisions:list` on its id) after the run settled. */
  log: DecisionLogEntry[]
  /** Whether `decisions:removedPortals` named it. */
  listedAsRemoved: boolean
}

export interface SummaryInput {
  seed: number
  mode: string
  elapsedMs: number
  actions: ActionRecord[]
  items: OutboxItem[]
  portals: ChaosPortal[]
  profiles: ChaosProfile[]
  rival: Rival
  cancelled: ReadonlySet<string>
  kills: KillRecord[]
  /** opIds the store file held right after each kill. */
  storedAtKills: ReadonlySet<string>
  faultEpochs: number
  /** Profiles deleted during the run (none unless `--profile-deletes`). */
  deletedProfiles?: DeletedProfile[]
}

/** What the summary checks of one action: an outbox item, or a deleted profile's log entry. */
interface Outcome {
  opId: string
  profileId: string
  requestId: string
  kind: ActionKind
  state: OutboxState
  resolution: OutboxResolutionReason | null
  /** The item's message; a log entry keeps none, so it is taken as said. */
  hasMessage: boolean
}

const fromItem = (item: OutboxItem): Outcome => ({
  opId: item.opId,
  profileId: item.profileId,
  requestId: item.requestId,
  kind: item.kind,
  state: item.state,
  resolution: item.resolution?.reason ?? null,
  hasMessage: item.lastError !== null
})

const fromEntry = (entry: DecisionLogEntry): Outcome => ({
  opId: entry.opId,
  profileId: entry.profileId,
  requestId: entry.requestId,
  kind: entry.kind,
  state: entry.outcome,
  resolution: entry.resolution?.reason ?? null,
  hasMessage: true
})

const terminal = new Set(['done', 'conflict', 'failed', 'cancelled'])

/** What the emulator knows about one request, split between the rival and Keygate. */
interface RequestFacts {
  exists: boolean
  approvals: number
  keygateApprovals: number
  keygateDeletes: number
}

/**
 * Computes the summary from the final outbox, the deleted profiles' decision logs and the
 * emulators' own records, and lists every problem found (each one counts in `lost`,
 * `doubleApprovals` or `deletesOfApproved`); `notes` are what is counted but allowed.
 *
 * Attribution: `stats.approvals[id]` counts every key the emulator issued, Keygate's API calls
 * and the rival's `approveDirectly` alike. With the double-approve guard off, a rival approving
 * in the gap between Keygate's pre-flight read and its approve gets a key too, so the total can
 * be 2 without Keygate doing anything twice. Keygate's own approvals are the total minus the
 * rival's recorded successful approvals; a double approval is a request where that exceeds 1.
 * Deletes are split the same way, and the rival's own deletes of approved requests are not
 * Keygate's `deletesOfApproved`.
 *
 * A deleted profile's actions left the outbox with it: they are accounted for by its decision
 * log instead. There `cancelled` is explained by the delete; a key or DELETE Keygate caused for
 * an action the log calls cancelled is explained only by `cancelled-outcome-unknown`; an entry
 * left `sending` is a call dropped on the wire (`droppedInFlight`), whose key or DELETE is
 * counted in `droppedInFlightEffects`, not failed; an entry left queued, needs-auth or failed, or
 * an action missing from the log, is lost.
 */
export function summarize(input: SummaryInput): {
  summary: ChaosSummary
  problems: string[]
  notes: string[]
} {
  const problems: string[] = []
  const notes: string[] = []
  const deleted = input.deletedProfiles ?? []
  const deletedIds = new Set(deleted.map((profile) => profile.id))
  const portalOf = new Map<string, number>([
    ...input.profiles.map((profile, index): [string, number] => [profile.id, index]),
    ...deleted.map((profile): [string, number] => [profile.id, profile.portal])
  ])
  const stats = input.portals.map((portal) => portal.emu.control.stats())

  const facts = (portal: number, requestId: string): RequestFacts => {
    const s = stats[portal]
    const control = input.portals[portal]?.emu.control
    const approvals = s?.approvals[requestId] ?? 0
    return {
      exists: control?.getRequest(requestId) != null,
      approvals,
      keygateApprovals: approvals - input.rival.approvalsOf(portal, requestId),
      keygateDeletes: (s?.deletes[requestId] ?? 0) - input.rival.deletesOf(portal, requestId)
    }
  }

  const explain = (o: Outcome): string | null => {
    if (!terminal.has(o.state)) {
      return deletedIds.has(o.profileId)
        ? `left ${o.state} when its profile was deleted: no outcome recorded`
        : `not finished (${o.state})`
    }
    const portal = portalOf.get(o.profileId)
    if (portal === undefined) return 'belongs to no profile of the run'
    const f = facts(portal, o.requestId)
    switch (o.state) {
      case 'cancelled':
        // A delete with 'cancel' cancels every action of its profile not on the wire.
        return input.cancelled.has(o.opId) || deletedIds.has(o.profileId)
          ? null
          : 'cancelled, but the admin never cancelled it'
      case 'failed':
        if (deletedIds.has(o.profileId)) return 'left failed when its profile was deleted'
        return o.hasMessage ? null : 'failed without a reason'
      case 'conflict':
        if (!o.resolution || !o.hasMessage) return 'conflict without a resolution and message'
        if (o.resolution === 'approved-elsewhere') {
          return f.approvals > 0 ? null : 'conflict "approved elsewhere", but nobody approved it'
        }
        if (o.resolution === 'removed-elsewhere') {
          return f.exists ? 'conflict "removed elsewhere", but the request exists' : null
        }
        if (o.resolution === 'removed-outcome-unknown') {
          if (o.kind !== 'approve') return 'a decline settled as "outcome unknown"'
          return f.exists ? 'conflict "removed, outcome unknown", but the request exists' : null
        }
        return `conflict with resolution ${o.resolution}`
      case 'done':
        if (o.kind === 'decline') {
          return f.exists ? 'decline done, but the request is still on the Dashboard' : null
        }
        if (o.resolution === 'response-lost') {
          return f.approvals > 0 && o.hasMessage ? null : 'response-lost without an approval'
        }
        if (o.resolution) return `approve done with resolution ${o.resolution}`
        return f.keygateApprovals > 0
          ? null
          : 'approve done, but the emulator issued Keygate no key'
      default:
        return `state ${o.state}`
    }
  }

  const items = new Map(input.items.map((item) => [item.opId, item]))
  // A deleted profile's entries the outbox still holds (a kill before it dropped them) are
  // checked as items; the rest by the log.
  const logged = new Map<string, DecisionLogEntry>()
  for (const profile of deleted) {
    for (const entry of profile.log) if (!items.has(entry.opId)) logged.set(entry.opId, entry)
  }
  const outcomes = [...input.items.map(fromItem), ...[...logged.values()].map(fromEntry)]
  const accounted = (opId: string): boolean => items.has(opId) || logged.has(opId)

  let lost = 0
  for (const action of input.actions) {
    if (action.result !== 'answered') continue
    if (action.opId !== null && accounted(action.opId)) continue
    lost += 1
    problems.push(
      deletedIds.has(action.profileId)
        ? `lost: ${action.kind} of ${action.requestId} (step ${action.step}) is missing from its deleted profile's log`
        : `lost: ${action.kind} of ${action.requestId} (step ${action.step}) has no outbox item`
    )
  }
  for (const opId of input.storedAtKills) {
    if (accounted(opId)) continue
    lost += 1
    problems.push(`lost: ${opId} was in the store file after a kill and is gone at the end`)
  }
  let droppedInFlight = 0
  for (const o of outcomes) {
    if (o.state === 'sending' && logged.has(o.opId)) {
      droppedInFlight += 1
      notes.push(
        `dropped in flight: ${o.kind} ${o.requestId} (${o.opId}) is left sending in its deleted profile's log`
      )
      continue
    }
    const why = explain(o)
    if (why === null) continue
    lost += 1
    problems.push(`unexplained: ${o.kind} ${o.requestId} (${o.opId}): ${why}`)
  }
  for (const profile of deleted) {
    if (profile.log.length === 0 || profile.listedAsRemoved) continue
    lost += 1
    problems.push(
      `lost: deleted profile ${profile.id} has a decision log that decisions:removedPortals does not name`
    )
  }

  // The emulator's side: every key and delete Keygate caused must show as a finished action.
  // An action that says its effect may exist (outcome unknown: the request gone, or its profile
  // deleted) accounts for one.
  const accountsForEffect = (o: Outcome): boolean =>
    o.state === 'done' ||
    o.resolution === 'removed-outcome-unknown' ||
    o.resolution === 'cancelled-outcome-unknown'
  const keyOf = (o: Outcome): string => `${portalOf.get(o.profileId)}:${o.requestId}:${o.kind}`
  const finished = new Set(outcomes.filter(accountsForEffect).map(keyOf))
  const droppedOnTheWire = new Set(
    outcomes.filter((o) => o.state === 'sending' && logged.has(o.opId)).map(keyOf)
  )
  const saidCancelled = new Set(
    [...logged.values()]
      .map(fromEntry)
      .filter((o) => o.state === 'cancelled')
      .map(keyOf)
  )
  let droppedInFlightEffects = 0
  /** A key or DELETE of Keygate's no finished action explains; true when it counts as lost. */
  const unexplainedEffect = (key: string, what: string): boolean => {
    if (finished.has(key)) return false
    if (droppedOnTheWire.has(key)) {
      droppedInFlightEffects += 1
      notes.push(`dropped in flight: ${what}, by an action its deleted profile's log left sending`)
      return false
    }
    problems.push(
      saidCancelled.has(key)
        ? `unexplained: ${what}, but its deleted profile's log says cancelled without cancelled-outcome-unknown`
        : `unexplained: ${what}, but no ${key.endsWith(':approve') ? 'approve' : 'decline'} is done`
    )
    return true
  }
  let doubleApprovals = 0
  let keysIssuedByKeygate = 0
  let racedApprovals = 0
  let deletesOfApproved = 0
  for (const [portal, s] of stats.entries()) {
    for (const requestId of Object.keys(s.approvals)) {
      const f = facts(portal, requestId)
      keysIssuedByKeygate += Math.max(0, f.keygateApprovals)
      if (f.keygateApprovals > 1) {
        doubleApprovals += 1
        problems.push(
          `double approval: Keygate had ${f.keygateApprovals} keys issued for ${requestId}`
        )
      }
      if (f.keygateApprovals > 0 && f.approvals > f.keygateApprovals) racedApprovals += 1
      if (
        f.keygateApprovals > 0 &&
        unexplainedEffect(
          `${portal}:${requestId}:approve`,
          `a key was issued to Keygate for ${requestId}`
        )
      )
        lost += 1
    }
    for (const requestId of Object.keys(s.deletes)) {
      const f = facts(portal, requestId)
      if (
        f.keygateDeletes > 0 &&
        unexplainedEffect(`${portal}:${requestId}:decline`, `Keygate deleted ${requestId}`)
      )
        lost += 1
    }
    const keygateHits = s.deletesOfApproved - input.rival.deletesOfApproved(portal)
    if (keygateHits > 0)
      problems.push(`Keygate deleted ${keygateHits} approved request(s) on portal ${portal + 1}`)
    deletesOfApproved += keygateHits
  }

  const count = (state: string): number => input.items.filter((item) => item.state === state).length
  const interrupted = input.actions.filter((a) => a.result === 'interrupted')
  const recorded = new Set(outcomes.map(keyOf))
  const entries = [...logged.values()]
  const profileDeletes: ProfileDeleteFigures = {
    deletes: deleted.length,
    sentFirst: deleted.filter((profile) => profile.sentFirst).length,
    entries: entries.length,
    cancelled: entries.filter((entry) => entry.outcome === 'cancelled').length,
    cancelledOutcomeUnknown: entries.filter(
      (entry) => entry.resolution?.reason === 'cancelled-outcome-unknown'
    ).length,
    droppedInFlight,
    droppedInFlightEffects
  }
  return {
    problems,
    notes,
    summary: {
      actions: input.actions.length,
      done: count('done'),
      conflicts: count('conflict'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      needsAuth: count('needs-auth'),
      lost,
      doubleApprovals,
      deletesOfApproved,
      keysIssuedByKeygate,
      rivalActions: input.rival.actions.length,
      kills: input.kills.length,
      seed: input.seed,
      elapsedMs: input.elapsedMs,
      mode: input.mode,
      items: input.items.length,
      interrupted: interrupted.length,
      interruptedUnrecorded: interrupted.filter(
        (a) => !recorded.has(`${a.portal}:${a.requestId}:${a.kind}`)
      ).length,
      refused: input.actions.filter((a) => a.result === 'refused').length,
      processKills: input.kills.filter((k) => k.kind === 'process').length,
      faultEpochs: input.faultEpochs,
      racedApprovals,
      ...(input.deletedProfiles && { profileDeletes })
    }
  }
}
