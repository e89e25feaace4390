import { create } from 'zustand'
import type { ActionKind, ActionOutcome, KeyRequest, OutboxState } from '../../../shared/domain'
import type { Result } from '../../../shared/result'
import { call } from '../api'
import { isActive } from '../lib/outbox-text'
import { refKey, type RequestRef } from '../lib/request-rows'
import { useKeysStore } from './keys-store'
import { useNavStore } from './nav-store'
import { useRequestsStore } from './requests-store'
import { undoWindowMs } from './settings-store'
import { toast, type ToastTone } from './toast-store'
import { useUndoStore } from './undo-store'

interface TriageState {
  /** Requests with an approve/decline call in flight, by row key. */
  busy: Readonly<Record<string, ActionKind>>
  approve(ref: RequestRef): Promise<void>
  decline(ref: RequestRef, reason: string): Promise<boolean>
}

/** The row after `key` in the visible list (or the one before, at the end), for auto-advance. */
function neighbour(key: string): RequestRef | null {
  const rows = useRequestsStore.getState().filtered
  const index = rows.findIndex((row) => row.key === key)
  if (index < 0) return null
  const next = rows[index + 1] ?? rows[index - 1]
  return next ? { profileId: next.item.profileId, requestId: next.item.id } : null
}

/** Mirrors the outcome on the list at once; the `requests:changed` push brings the truth after. */
function applyOutcome(ref: RequestRef, kind: ActionKind, outcome: ActionOutcome): void {
  const requests = useRequestsStore.getState()
  const key = refKey(ref)
  const row = requests.rows.find((candidate) => candidate.key === key)
  if (!row) return
  if (outcome.state === 'done') {
    requests.patch(key, null)
  } else if (isActive(outcome.state)) {
    const item: KeyRequest = {
      ...row.item,
      queued: { opId: outcome.opId, kind, state: outcome.state }
    }
    requests.patch(key, item)
  }
}

function outcomeTone(state: OutboxState): ToastTone {
  if (state === 'done') return 'success'
  return state === 'failed' || state === 'conflict' ? 'error' : 'info'
}

/** True while the admin is still on `ref`, with no other dialog up: the key may open here. */
function stillOn(ref: RequestRef): boolean {
  const nav = useNavStore.getState()
  return (
    nav.selected !== null &&
    refKey(nav.selected) === refKey(ref) &&
    nav.dialog === null &&
    useKeysStore.getState().openKeyId === null
  )
}

function advanceFrom(ref: RequestRef, next: RequestRef | null): void {
  const nav = useNavStore.getState()
  if (nav.selected && refKey(nav.selected) === refKey(ref)) nav.advance(next)
}

/** Approve and decline from the detail pane, the keyboard and the decline dialog. */
export const useTriageStore = create<TriageState>()((set, get) => {
  function setBusy(key: string, kind: ActionKind | null): void {
    const busy = { ...get().busy }
    if (kind) busy[key] = kind
    else delete busy[key]
    set({ busy })
  }

  async function run(
    ref: RequestRef,
    kind: ActionKind,
    send: () => Promise<Result<ActionOutcome>>
  ): Promise<boolean> {
    const key = refKey(ref)
    if (get().busy[key]) return false
    setBusy(key, kind)
    const next = neighbour(key)
    const holdMs = undoWindowMs()
    if (holdMs > 0) {
      // The decision waits out its undo window: the admin moves on now and may take it back.
      const row = useRequestsStore.getState().rows.find((candidate) => candidate.key === key)
      const who = row?.item.developer.email ?? `request ${ref.requestId}`
      useUndoStore
        .getState()
        .show(
          `${kind === 'approve' ? 'Approving' : 'Declining'} ${who}`,
          [ref],
          Date.now() + holdMs
        )
      advanceFrom(ref, next)
    }
    const result = await send()
    setBusy(key, null)
    if (!result.ok) {
      toast('error', result.error.message)
      return false
    }
    const outcome = result.value
    applyOutcome(ref, kind, outcome)
    if (!outcome.keyId) toast(outcomeTone(outcome.state), outcome.message)
    else if (stillOn(ref)) useKeysStore.getState().open(outcome.keyId)
    // Otherwise KeyNotices offers it: a dialog now would sit over another request.
    if (outcome.state !== 'failed') advanceFrom(ref, next)
    return true
  }

  return {
    busy: {},
    approve: (ref) =>
      run(ref, 'approve', () => call((k) => k['requests:approve'](ref))).then(() => undefined),
    decline: (ref, reason) => {
      const trimmed = reason.trim()
      const held = undoWindowMs() > 0 && !get().busy[refKey(ref)]
      const sent = run(ref, 'decline', () =>
        call((k) => k['requests:decline'](trimmed ? { ...ref, reason: trimmed } : ref))
      )
      // Inside an undo window the dialog closes at once; the outcome comes as a toast.
      return held ? Promise.resolve(true) : sent
    }
  }
})
