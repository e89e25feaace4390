import { create } from 'zustand'
import type { RequestRow } from '../lib/request-rows'
import { useRequestsStore } from './requests-store'

interface SelectionState {
  /** Row keys picked for a bulk decision (distinct from the one request on screen). */
  keys: ReadonlySet<string>
  /** Where a Shift range starts: the last row toggled or clicked. */
  anchor: string | null
  toggle(key: string): void
  /** Selects the rows from the anchor to `key` in the list on screen (Shift-click, Shift+J/K). */
  extendTo(key: string, from?: string): void
  /** Every request the current filter shows. */
  selectAll(): void
  clear(): void
}

const shown = (): RequestRow[] => useRequestsStore.getState().filtered

/** Multi-selection in the request list for bulk decisions. */
export const useSelectionStore = create<SelectionState>()((set, get) => ({
  keys: new Set(),
  anchor: null,
  toggle(key) {
    const keys = new Set(get().keys)
    if (keys.has(key)) keys.delete(key)
    else keys.add(key)
    set({ keys, anchor: key })
  },
  extendTo(key, from) {
    const rows = shown()
    const anchor = get().anchor ?? from ?? key
    const start = rows.findIndex((row) => row.key === anchor)
    const end = rows.findIndex((row) => row.key === key)
    if (end < 0) return
    const [low, high] = start < 0 ? [end, end] : [Math.min(start, end), Math.max(start, end)]
    set({
      keys: new Set(rows.slice(low, high + 1).map((row) => row.key)),
      anchor: start < 0 ? key : anchor
    })
  },
  selectAll() {
    set({ keys: new Set(shown().map((row) => row.key)) })
  },
  clear() {
    if (get().keys.size === 0 && get().anchor === null) return
    set({ keys: new Set(), anchor: null })
  }
}))

/** The selected rows still in the list on screen, in its order. */
export function selectedRows(keys: ReadonlySet<string>, rows: readonly RequestRow[]): RequestRow[] {
  return keys.size === 0 ? [] : rows.filter((row) => keys.has(row.key))
}
