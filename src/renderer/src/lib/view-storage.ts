import { readSetting, writeSetting } from './local-settings'
import { isSortKey, type SortKey } from './request-order'

/** What the list shows: the search box's query and the sort. */
export interface ListView {
  query: string
  sort: SortKey
}

export interface SavedView extends ListView {
  name: string
}

export const defaultView: ListView = { query: '', sort: 'newest' }

const CURRENT_KEY = 'keygate.view.current'
const SAVED_KEY = 'keygate.view.saved'

function asView(value: unknown): ListView | null {
  if (typeof value !== 'object' || value === null) return null
  const { query, sort } = value as Record<string, unknown>
  if (typeof query !== 'string' || !isSortKey(sort)) return null
  return { query, sort }
}

/** The view on screen at the last change, so it survives a restart. */
export function loadCurrentView(): ListView {
  return asView(readSetting(CURRENT_KEY)) ?? defaultView
}

export function saveCurrentView(view: ListView): void {
  writeSetting(CURRENT_KEY, view)
}

export function loadSavedViews(): SavedView[] {
  const value = readSetting(SAVED_KEY)
  if (!Array.isArray(value)) return []
  const views: SavedView[] = []
  for (const entry of value) {
    const view = asView(entry)
    const name = (entry as { name?: unknown }).name
    if (view && typeof name === 'string' && name.trim()) views.push({ ...view, name })
  }
  return views
}

export function storeSavedViews(views: readonly SavedView[]): void {
  writeSetting(SAVED_KEY, views)
}
