import type { ChaosPortal } from './portals'

/** One action of the rival admin, done directly on the emulator as in the Dashboard UI. */
export interface RivalAction {
  step: number
  portal: number
  requestId: string
  kind: 'approve' | 'delete'
  /** The emulator issued a key (approve) or removed the request (delete). */
  applied: boolean
  /** The request was approved when the rival deleted it. */
  wasApproved: boolean
  at: number
}

const key = (portal: number, requestId: string): string => `${portal}:${requestId}`

/**
 * A second admin working the same portals behind Keygate's back. It approves only what is
 * pending (as the Dashboard UI offers) and deletes anything; every action is recorded here, so
 * the summary can tell its keys and deletes from Keygate's.
 */
export class Rival {
  readonly actions: RivalAction[] = []
  private readonly approvals = new Map<string, number>()
  private readonly deletes = new Map<string, number>()

  approve(step: number, portal: ChaosPortal, requestId: string): RivalAction | null {
    const doc = portal.emu.control.getRequest(requestId)
    if (!doc || doc.approved === true) return null
    const outcome = portal.emu.control.approveDirectly(requestId)
    const applied = outcome.status === 200
    if (applied) this.bump(this.approvals, key(portal.index, requestId))
    return this.record({
      step,
      portal: portal.index,
      requestId,
      kind: 'approve',
      applied,
      wasApproved: false
    })
  }

  delete(step: number, portal: ChaosPortal, requestId: string): RivalAction | null {
    const doc = portal.emu.control.getRequest(requestId)
    if (!doc) return null
    const applied = portal.emu.control.deleteDirectly(requestId)
    if (applied) this.bump(this.deletes, key(portal.index, requestId))
    return this.record({
      step,
      portal: portal.index,
      requestId,
      kind: 'delete',
      applied,
      wasApproved: doc.approved === true
    })
  }

  /** Keys the rival had the emulator issue for this request. */
  approvalsOf(portal: number, requestId: string): number {
    return this.approvals.get(key(portal, requestId)) ?? 0
  }

  deletesOf(portal: number, requestId: string): number {
    return this.deletes.get(key(portal, requestId)) ?? 0
  }

  /** The rival's own deletes that hit an approved request (by anyone): not Keygate's doing. */
  deletesOfApproved(portal: number): number {
    return this.actions.filter(
      (a) => a.portal === portal && a.kind === 'delete' && a.applied && a.wasApproved
    ).length
  }

  private record(action: Omit<RivalAction, 'at'>): RivalAction {
    const full = { ...action, at: Date.now() }
    this.actions.push(full)
    return full
  }

  private bump(map: Map<string, number>, k: string): void {
    map.set(k, (map.get(k) ?? 0) + 1)
  }
}
