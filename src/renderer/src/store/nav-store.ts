import { create } from 'zustand'
import type { ActionKind, RequestStatus } from '../../../shared/domain'
import type { RequestRef } from '../lib/request-rows'

export type Dialog =
  | { kind: 'profile-editor'; profileId: string | null }
  | { kind: 'create-request' }
  | { kind: 'decline'; ref: RequestRef }
  | { kind: 'outbox' }
  | { kind: 'shortcuts' }
  | { kind: 'settings' }
  /** Confirms a decision on every picked request. */
  | { kind: 'bulk-confirm'; decision: ActionKind }
  /** The last batch's per-item results and keys. */
  | { kind: 'batch-results' }

/** The request lists by status, and the log of decisions made here. */
export type ListTab = RequestStatus | 'decisions'

interface NavState {
  /** null: the merged inbox across every portal. */
  profileId: string | null
  tab: ListTab
  selected: RequestRef | null
  /** The narrow layout shows the selected request over the list; wide, list and detail sit side by side. */
  detailOpen: boolean
  dialog: Dialog | null
  /** Bumped to move focus back into the request list once it is on screen. */
  listFocus: number
  showScope(profileId: string | null): void
  setTab(tab: ListTab): void
  select(ref: RequestRef | null): void
  /** Selects a request and shows its detail (a click, Enter). */
  open(ref: RequestRef): void
  /** Back to the list (narrow layout), focus in it. */
  closeDetail(): void
  /** After a decision: the next request selected, focus in the list on it. */
  advance(next: RequestRef | null): void
  /** Jump to one request (a notification click): its portal, the pending tab, selected. */
  showRequest(ref: RequestRef): void
  openDialog(dialog: Dialog): void
  closeDialog(): void
}

/** Where the admin is: which inbox, which tab, which request, which dialog. */
export const useNavStore = create<NavState>()((set, get) => ({
  profileId: null,
  tab: 'pending',
  selected: null,
  detailOpen: false,
  dialog: null,
  listFocus: 0,
  showScope(profileId) {
    if (profileId === get().profileId) return
    set({ profileId, selected: null, detailOpen: false })
  },
  setTab(tab) {
    if (tab === get().tab) return
    set({ tab, selected: null, detailOpen: false })
  },
  select(selected) {
    set(selected ? { selected } : { selected, detailOpen: false })
  },
  open(selected) {
    set({ selected, detailOpen: true })
  },
  closeDetail() {
    set({ detailOpen: false, listFocus: get().listFocus + 1 })
  },
  advance(selected) {
    set({ selected, detailOpen: false, listFocus: get().listFocus + 1 })
  },
  showRequest(ref) {
    set({ profileId: ref.profileId, tab: 'pending', selected: ref, detailOpen: true })
  },
  openDialog(dialog) {
    set({ dialog })
  },
  closeDialog() {
    set({ dialog: null })
  }
}))
