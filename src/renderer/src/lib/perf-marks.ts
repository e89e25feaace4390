/** Performance marks the inbox benchmark reads (bench/ drives Chromium and collects them). */
export const marks = {
  listData: 'keygate:list-data',
  listPainted: 'keygate:list-painted',
  listPaint: 'keygate:list-paint',
  searchStart: 'keygate:search-start',
  search: 'keygate:search'
} as const

// Cap the user-timing buffer: an app left open all day must not grow it per keystroke.
const MAX_ENTRIES = 2000

function trim(name: string, clear: (name: string) => void): void {
  if (performance.getEntriesByName(name).length > MAX_ENTRIES) clear(name)
}

export function mark(name: string): void {
  trim(name, (n) => performance.clearMarks(n))
  performance.mark(name)
}

/** Measures from `start` to now; silently skips when the start mark is gone. */
export function measure(name: string, start: string): void {
  if (performance.getEntriesByName(start, 'mark').length === 0) return
  trim(name, (n) => performance.clearMeasures(n))
  performance.measure(name, start)
}
