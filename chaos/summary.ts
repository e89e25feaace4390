import type { ActionKind, OutboxItem } from '../src/shared/domain'
import type { ChaosProfile } from './core-driver'
import type { ChaosPortal } from './portals'
import type { Rival } from './rival'

/** One approve/decline the admin asked for, and what the core answered. */
export interface ActionRecord {
  step: number
  portal: number
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
}

const terminal = new Set(['done', 'conflict', 'failed', 'cancelled'])

/** What the emulator knows about one request, split between the rival and Keygate. */
interface RequestFacts {
  exists: boolean
  approvals: number
  keygateApprovals: number
  keygateDeletes: number
}

/**
 * Computes the summary from the final outbox and the emulators' own records, and lists every
 * problem found (each one counts in `lost`, `doubleApprovals` or `deletesOfApproved`).
 *
 * Attribution: `stats.approvals[id]` counts every key the emulator issued, Keygate's API calls
 * and the rival's `approveDirectly` alike. With the double-approve guard off, a rival approving
 * in the gap between Keygate's pre-flight read and its approve gets a key too, so the total can
 * be 2 without Keygate doing anything twice. Keygate's own approvals are the total minus the
 * rival's recorded successful approvals; a double approval is a request where that exceeds 1.
 * Deletes are split the same way, and the rival's own deletes of approved requests are not
 * Keygate's `deletesOfApproved`.
 */
export function summarize(input: SummaryInput): { summary: ChaosSummary; problems: string[] } {
  const problems: string[] = []
  const portalOf = new Map(input.profiles.map((profile, index) => [profile.id, index]))
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

  const explain = (item: OutboxItem): string | null => {
    if (!terminal.has(item.state)) return `not finished (${item.state})`
    const portal = portalOf.get(item.profileId)
    if (portal === undefined) return 'belongs to no profile of the run'
    const f = facts(portal, item.requestId)
    switch (item.state) {
      case 'cancelled':
        return input.cancelled.has(item.opId) ? null : 'cancelled, but the admin never cancelled it'
      case 'failed':
        return item.lastError ? null : 'failed without a reason'
      case 'conflict':
        if (!item.resolution || !item.lastError) return 'conflict without a resolution and message'
        if (item.resolution.reason === 'approved-elsewhere') {
          return f.approvals > 0 ? null : 'conflict "approved elsewhere", but nobody approved it'
        }
        if (item.resolution.reason === 'removed-elsewhere') {
          return f.exists ? 'conflict "removed elsewhere", but the request exists' : null
        }
        if (item.resolution.reason === 'removed-outcome-unknown') {
          if (item.kind !== 'approve') return 'a decline settled as "outcome unknown"'
          return f.exists ? 'conflict "removed, outcome unknown", but the request exists' : null
        }
        return `conflict with resolution ${item.resolution.reason}`
      case 'done':
        if (item.kind === 'decline') {
          return f.exists ? 'decline done, but the request is still on the Dashboard' : null
        }
        if (item.resolution?.reason === 'response-lost') {
          return f.approvals > 0 && item.lastError ? null : 'response-lost without an approval'
        }
        if (item.resolution) return `approve done with resolution ${item.resolution.reason}`
        return f.keygateApprovals > 0
          ? null
          : 'approve done, but the emulator issued Keygate no key'
      default:
        return `state ${item.state}`
    }
  }

  const items = new Map(input.items.map((item) => [item.opId, item]))
  let lost = 0
  for (const action of input.actions) {
    if (action.result === 'answered' && (action.opId === null || !items.has(action.opId))) {
      lost += 1
      problems.push(
        `lost: ${action.kind} of ${action.requestId} (step ${action.step}) has no outbox item`
      )
    }
  }
  for (const opId of input.storedAtKills) {
    if (items.has(opId)) continue
    lost += 1
    problems.push(`lost: ${opId} was in the store file after a kill and is gone at the end`)
  }
  for (const item of input.items) {
    const why = explain(item)
    if (why === null) continue
    lost += 1
    problems.push(`unexplained: ${item.kind} ${item.requestId} (${item.opId}): ${why}`)
  }

  // The emulator's side: every key and delete Keygate caused must show as a finished item.
  // An approve that says its key may exist (outcome unknown, request gone) accounts for one.
  const accountsForKey = (item: OutboxItem): boolean =>
    item.state === 'done' || item.resolution?.reason === 'removed-outcome-unknown'
  const finished = new Set(
    input.items
      .filter(accountsForKey)
      .map((item) => `${portalOf.get(item.profileId)}:${item.requestId}:${item.kind}`)
  )
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
      if (f.keygateApprovals > 0 && !finished.has(`${portal}:${requestId}:approve`)) {
        lost += 1
        problems.push(
          `unexplained: a key was issued to Keygate for ${requestId}, but no approve is done`
        )
      }
    }
    for (const requestId of Object.keys(s.deletes)) {
      const f = facts(portal, requestId)
      if (f.keygateDeletes > 0 && !finished.has(`${portal}:${requestId}:decline`)) {
        lost += 1
        problems.push(`unexplained: Keygate deleted ${requestId}, but no decline is done`)
      }
    }
    const keygateHits = s.deletesOfApproved - input.rival.deletesOfApproved(portal)
    if (keygateHits > 0)
      problems.push(`Keygate deleted ${keygateHits} approved request(s) on portal ${portal + 1}`)
    deletesOfApproved += keygateHits
  }

  const count = (state: string): number => input.items.filter((item) => item.state === state).length
  const interrupted = input.actions.filter((a) => a.result === 'interrupted')
  const recorded = new Set(
    input.items.map((item) => `${portalOf.get(item.profileId)}:${item.requestId}:${item.kind}`)
  )
  return {
    problems,
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
      racedApprovals
    }
  }
}
