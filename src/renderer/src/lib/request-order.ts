import { parseTime } from './format'
import { policiesText, type RequestRow } from './request-rows'

export type SortKey = 'newest' | 'oldest' | 'developer' | 'portal' | 'policy'

export const sortLabels: Record<SortKey, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  developer: 'Developer',
  portal: 'Portal',
  policy: 'Policy'
}

export const isSortKey = (value: unknown): value is SortKey =>
  typeof value === 'string' && value in sortLabels

/** What a row sorts by: a number (age) or a lower-cased string; unknowns sort last. */
function sortValue(
  row: RequestRow,
  sort: Exclude<SortKey, 'newest'>,
  portalName: (profileId: string) => string
): number | string {
  const { item } = row
  switch (sort) {
    case 'oldest':
      return parseTime(item.createdAt) ?? Number.POSITIVE_INFINITY
    case 'developer':
      return (item.developer.email ?? `\uffff${item.developer.id}`).toLowerCase()
    case 'portal':
      return portalName(item.profileId).toLowerCase()
    case 'policy':
      return item.policies.length === 0 ? '\uffff' : policiesText(item.policies).toLowerCase()
  }
}

/**
 * The rows in `sort` order, ties in list order. `newest` is the order the core delivers (newest
 * first), so it costs nothing; the others compute each row's key once, then sort: O(n log n).
 */
export function sortRows(
  rows: readonly RequestRow[],
  sort: SortKey,
  portalName: (profileId: string) => string
): RequestRow[] {
  if (sort === 'newest') return rows.slice()
  const keyed = rows.map((row, index) => ({ row, index, value: sortValue(row, sort, portalName) }))
  keyed.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.index - b.index))
  return keyed.map((entry) => entry.row)
}
