import { create } from 'zustand'
import { loadSavedViews, storeSavedViews, type SavedView } from '../lib/view-storage'
import { useRequestsStore } from './requests-store'

interface ViewsState {
  views: SavedView[]
  /** Saves the query and sort on screen under `name` (replacing a view of that name). */
  saveCurrent(name: string): void
  remove(name: string): void
}

/** Saved views (a query and a sort, by name), kept in the renderer's localStorage. */
export const useViewsStore = create<ViewsState>()((set, get) => {
  function store(views: SavedView[]): void {
    storeSavedViews(views)
    set({ views })
  }
  return {
    views: loadSavedViews(),
    saveCurrent(name) {
      const trimmed = name.trim()
      if (!trimmed) return
      const { query, sort } = useRequestsStore.getState()
      const others = get().views.filter((view) => view.name !== trimmed)
      store([...others, { name: trimmed, query, sort }])
    },
    remove(name) {
      store(get().views.filter((view) => view.name !== name))
    }
  }
})
