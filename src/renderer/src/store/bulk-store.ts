import { create } from 'zustand'
import type { ActionKind, OutboxItem, RefRefusal } from '../../../shared/domain'
import { call } from '../api'
import { refKey, type RequestRow } from '../lib/request-rows'
import { useSelectionStore } from './selection-store'
import { toast } from './toast-store'
import { useUndoStore } from './undo-store'

export interface BatchEntry {
  profileId: string
  requestId: string
  opId: string
  who: string
}

export interface Batch {
  kind: ActionKind
  entries: BatchEntry[]
  refused: (RefRefusal & { who: string })[]
  /** Row keys of the batch, for matching its keys and hiding them from the single-key notices. */
  keys: ReadonlySet<string>
}

interface BulkState {
  /** The last bulk decision, until dismissed. */
  batch: Batch | null
  sending: boolean
  /** Sends one decision for every row; answers whether it was queued. */
  decide(rows: readonly RequestRow[], kind: ActionKind, reason?: string): Promise<boolean>
  dismiss(): void
}

const who = (row: RequestRow | undefined, requestId: string): string =>
  row?.item.developer.email ?? `Request ${requestId}`

/** Bulk approve and decline: one `requests:decideMany` call, outcomes from the outbox pushes. */
export const useBulkStore = create<BulkState>()((set, get) => ({
  batch: null,
  sending: false,
  async decide(rows, kind, reason) {
    if (get().sending || rows.length === 0) return false
    set({ sending: true })
    const byKey = new Map(rows.map((row) => [row.key, row]))
    const result = await call((k) =>
      k['requests:decideMany']({
        refs: rows.map((row) => ({ profileId: row.item.profileId, requestId: row.item.id })),
        kind,
        ...(kind === 'decline' && reason?.trim() ? { reason: reason.trim() } : {})
      })
    )
    set({ sending: false })
    if (!result.ok) {
      toast('error', result.error.message)
      return false
    }
    const { accepted, refused, sendAfter } = result.value
    const entries = accepted.map((ref) => ({
      ...ref,
      who: who(byKey.get(refKey(ref)), ref.requestId)
    }))
    set({
      batch: {
        kind,
        entries,
        refused: refused.map((ref) => ({
          ...ref,
          who: who(byKey.get(refKey(ref)), ref.requestId)
        })),
        keys: new Set(entries.map(refKey))
      }
    })
    useSelectionStore.getState().clear()
    if (sendAfter !== null && entries.length > 0) {
      const verb = kind === 'approve' ? 'Approving' : 'Declining'
      useUndoStore.getState().show(
        `${verb} ${entries.length} ${entries.length === 1 ? 'request' : 'requests'}`,
        entries.map(({ profileId, requestId }) => ({ profileId, requestId })),
        Date.parse(sendAfter)
      )
    }
    return true
  },
  dismiss() {
    set({ batch: null })
  }
}))

export type ItemResult = 'waiting' | 'approved' | 'declined' | 'conflict' | 'failed' | 'undone'

/** What became of one item of a batch, in the words of the results list. */
export function itemResult(item: OutboxItem | undefined): ItemResult {
  if (!item) return 'waiting'
  switch (item.state) {
    case 'done':
      return item.kind === 'approve' ? 'approved' : 'declined'
    case 'conflict':
      return 'conflict'
    case 'failed':
    case 'needs-auth':
      return 'failed'
    case 'cancelled':
      return 'undone'
    default:
      return 'waiting'
  }
}

/** "212 of 326 sent" and the count of each result. */
export function batchProgress(
  batch: Batch,
  byOp: ReadonlyMap<string, OutboxItem>
): { settled: number; total: number; counts: Record<ItemResult, number> } {
  const counts: Record<ItemResult, number> = {
    waiting: 0,
    approved: 0,
    declined: 0,
    conflict: 0,
    failed: 0,
    undone: 0
  }
  for (const entry of batch.entries) counts[itemResult(byOp.get(entry.opId))] += 1
  return { settled: batch.entries.length - counts.waiting, total: batch.entries.length, counts }
}
