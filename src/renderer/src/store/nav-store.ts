import { create } from 'zustand'
import type { RequestStatus } from '../../../shared/domain'
import type { RequestRef } from '../lib/request-rows'

export type Dialog =
  | { kind: 'profile-editor'; profileId: string | null }
  | { kind: 'create-request' }
  | { kind: 'decline'; ref: RequestRef }
  | { kind: 'outbox' }

/** The request lists by status, and the log of decisions made here. */
export type ListTab = RequestStatus | 'decisions'

interface NavState {
  /** null: the merged inbox across every portal. */
  profileId: string | null
  tab: ListTab
  selected: RequestRef | null
  dialog: Dialog | null
  showScope(profileId: string | null): void
  setTab(tab: ListTab): void
  select(ref: RequestRef | null): void
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
  dialog: null,
  showScope(profileId) {
    if (profileId === get().profileId) return
    set({ profileId, selected: null })
  },
  setTab(tab) {
    if (tab === get().tab) return
    set({ tab, selected: null })
  },
  select(selected) {
    set({ selected })
  },
  showRequest(ref) {
    set({ profileId: ref.profileId, tab: 'pending', selected: ref })
  },
  openDialog(dialog) {
    set({ dialog })
  },
  closeDialog() {
    set({ dialog: null })
  }
}))
