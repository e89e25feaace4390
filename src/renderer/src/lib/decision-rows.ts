import type {
  ActionKind,
  DecisionLogEntry,
  OutboxItem,
  OutboxState,
  ProfileSummary,
  RemovedPortal
} from '../../../shared/domain'
import { resolutionText } from './outbox-text'

/** One entry of the decision log in the list, with its lower-cased search text. */
export interface DecisionRow {
  key: string
  entry: DecisionLogEntry
  haystack: string
}

export function buildDecisionRow(entry: DecisionLogEntry): DecisionRow {
  const text = [
    entry.developerEmail ?? '',
    entry.requestId,
    entry.reason ?? '',
    entry.by,
    ...(entry.policyNames ?? []),
    entry.catalogueName ?? ''
  ]
  return { key: entry.opId, entry, haystack: text.join('\u0001').toLowerCase() }
}

/**
 * Merges profiles' logs (each newest first, as `decisions:list` answers) into one list, newest
 * first. Stable, so decisions made in the same instant keep their log order.
 */
export function mergeDecisions(logs: readonly (readonly DecisionLogEntry[])[]): DecisionRow[] {
  return logs
    .flat()
    .sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : 0))
    .map(buildDecisionRow)
}

/** How the merged log and its portal filter name a deleted portal whose decisions are kept. */
export const removedPortalLabel = (name: string): string => `${name} (removed)`

/** Each portal the merged log holds, by profile id: the profiles, then the deleted portals. */
export function portalLabels(
  profiles: readonly Pick<ProfileSummary, 'id' | 'name'>[],
  removed: readonly RemovedPortal[]
): Map<string, string> {
  return new Map([
    ...profiles.map((profile) => [profile.id, profile.name] as const),
    ...removed.map((portal) => [portal.profileId, removedPortalLabel(portal.name)] as const)
  ])
}

/** Rows matching every search term (developer email, request id, reason, who decided). */
export function filterDecisions(
  rows: readonly DecisionRow[],
  terms: readonly string[]
): DecisionRow[] {
  if (terms.length === 0) return rows.slice()
  return rows.filter((row) => terms.every((term) => row.haystack.includes(term)))
}

/** What the decision log's filters may ask for; '' leaves that filter off. */
export interface DecisionFilters {
  profileId: string
  /** Inclusive UTC days, `YYYY-MM-DD`, as the export reads them. */
  from: string
  to: string
  outcome: '' | 'done' | 'waiting' | 'conflict' | 'failed' | 'cancelled'
}

export const noDecisionFilters: DecisionFilters = { profileId: '', from: '', to: '', outcome: '' }

const waitingStates: ReadonlySet<OutboxState> = new Set(['queued', 'sending', 'needs-auth'])

/** Rows on the chosen portal, decided within the days, with the outcome asked for. */
export function applyDecisionFilters(
  rows: readonly DecisionRow[],
  filters: DecisionFilters
): DecisionRow[] {
  return rows.filter(({ entry }) => {
    if (filters.profileId && entry.profileId !== filters.profileId) return false
    if (filters.from || filters.to) {
      const day = entry.decidedAt.slice(0, 10)
      if (filters.from && day < filters.from) return false
      if (filters.to && day > filters.to) return false
    }
    if (!filters.outcome) return true
    return filters.outcome === 'waiting'
      ? waitingStates.has(entry.outcome)
      : entry.outcome === filters.outcome
  })
}

function outcomeWords(kind: ActionKind, state: OutboxState): string {
  switch (state) {
    case 'done':
      return kind === 'approve' ? 'approved on the portal' : 'removed from the portal'
    case 'queued':
      return 'waiting to be sent'
    case 'sending':
      return 'being sent now'
    case 'needs-auth':
      return 'waiting for a valid API key for this portal'
    case 'conflict':
      return 'the request had changed on the portal — nothing sent'
    case 'failed':
      return 'the portal refused it — nothing changed'
    case 'cancelled':
      return 'cancelled before it was sent'
  }
}

export interface DecisionOutcome {
  state: OutboxState
  words: string
}

/**
 * What became of a decision. While its action is still in the outbox, that item is the fresher
 * copy (the log trails it); pruned, or its portal deleted, the log's own outcome and resolution
 * are all there is.
 */
export function decisionOutcome(
  entry: DecisionLogEntry,
  live: OutboxItem | undefined
): DecisionOutcome {
  const state = live?.state ?? entry.outcome
  return { state, words: resolutionText(live ?? entry) ?? outcomeWords(entry.kind, state) }
}
