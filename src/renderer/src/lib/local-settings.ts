/** localStorage, or null where there is none (unit tests in Node). */
function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage
}

/** A renderer-only setting (list view, portal order) as stored JSON; null if absent or damaged. */
export function readSetting(key: string): unknown {
  const text = storage()?.getItem(key)
  if (!text) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    // A damaged entry (edited by hand, cut short): the caller's default rather than nothing.
    return null
  }
}

export function writeSetting(key: string, value: unknown): void {
  storage()?.setItem(key, JSON.stringify(value))
}
