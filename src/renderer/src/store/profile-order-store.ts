import { create } from 'zustand'
import { loadProfileOrder, moveTo, saveProfileOrder } from '../lib/profile-order'

interface ProfileOrderState {
  /** Profile ids in the admin's order (renderer-only, kept in localStorage). */
  order: string[]
  /** Moves `id` to `index` among `shownIds`, the sidebar's order as it is now. */
  move(shownIds: readonly string[], id: string, index: number): void
}

export const useProfileOrderStore = create<ProfileOrderState>()((set) => ({
  order: loadProfileOrder(),
  move(shownIds, id, index) {
    const order = moveTo(shownIds, id, index)
    saveProfileOrder(order)
    set({ order })
  }
}))
