import type { RequestFlag } from '../../../shared/domain'
import { policiesText, type RequestRow } from './request-rows'

export interface BulkSummary {
  /** Requests per portal name, most first. */
  byPortal: [string, number][]
  /** Requests per policy set ("Free Tier, Gold"), most first. */
  byPolicy: [string, number][]
  /** Requests with flags, to name before deciding them. */
  flagged: { key: string; who: string; flags: RequestFlag[] }[]
}

function counted(values: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** What a bulk decision will touch, for its confirmation. */
export function summarise(
  rows: readonly RequestRow[],
  portalName: (profileId: string) => string
): BulkSummary {
  return {
    byPortal: counted(rows.map((row) => portalName(row.item.profileId))),
    byPolicy: counted(rows.map((row) => policiesText(row.item.policies))),
    flagged: rows
      .filter((row) => (row.item.flags?.length ?? 0) > 0)
      .map((row) => ({
        key: row.key,
        who: row.item.developer.email ?? `Request ${row.item.id}`,
        flags: row.item.flags ?? []
      }))
  }
}
