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

/** localStorage, or null where there is none (unit tests in Node). */
function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage
}

function asView(value: unknown): ListView | null {
  if (typeof value !== 'object' || value === null) return null
  const { query, sort } = value as Record<string, unknown>
  if (typeof query !== 'string' || !isSortKey(sort)) return null
  return { query, sort }
}

function read(key: string): unknown {
  const text = storage()?.getItem(key)
  if (!text) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    // A damaged entry (edited by hand, cut short): the default view rather than none at all.
    return null
  }
}

/** The view on screen at the last change, so it survives a restart. */
export function loadCurrentView(): ListView {
  return asView(read(CURRENT_KEY)) ?? defaultView
}

export function saveCurrentView(view: ListView): void {
  storage()?.setItem(CURRENT_KEY, JSON.stringify(view))
}

export function loadSavedViews(): SavedView[] {
  const value = read(SAVED_KEY)
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
  storage()?.setItem(SAVED_KEY, JSON.stringify(views))
}
