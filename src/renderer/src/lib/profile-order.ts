import { readSetting, writeSetting } from './local-settings'

const ORDER_KEY = 'keygate.profile-order'

/** `items` in the admin's order: known ids first as ordered, the rest after, as they came. */
export function inOrder<T extends { id: string }>(
  items: readonly T[],
  order: readonly string[]
): T[] {
  const rank = new Map(order.map((id, index) => [id, index]))
  const known = items.filter((item) => rank.has(item.id))
  known.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0))
  return [...known, ...items.filter((item) => !rank.has(item.id))]
}

/** The ids with `id` moved to `index` (clamped); unchanged when `id` is not among them. */
export function moveTo(ids: readonly string[], id: string, index: number): string[] {
  const from = ids.indexOf(id)
  if (from < 0) return ids.slice()
  const next = ids.filter((candidate) => candidate !== id)
  next.splice(Math.max(0, Math.min(next.length, index)), 0, id)
  return next
}

export function loadProfileOrder(): string[] {
  const value = readSetting(ORDER_KEY)
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []
}

export function saveProfileOrder(order: readonly string[]): void {
  writeSetting(ORDER_KEY, order)
}
