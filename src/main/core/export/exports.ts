import type {
  DecisionLogEntry,
  ExportFormat,
  ExportKind,
  KeyRequest,
  Profile,
  RemovedPortal
} from '../../../shared/domain'
import type { SaveFileRequest } from '../ports'
import { toCsv, type CsvValue } from './csv'

export interface ExportArgs {
  what: ExportKind
  format: ExportFormat
  /** Omitted: every portal. */
  profileIds?: string[]
  /** Inclusive UTC days, `YYYY-MM-DD`: decisions by when decided, pending by when requested. */
  from?: string
  to?: string
}

export interface ExportSources {
  profiles: readonly Pick<Profile, 'id' | 'name'>[]
  /** Deleted portals whose decisions are kept: exported like the others', under their name. */
  removedPortals: readonly RemovedPortal[]
  /** A portal's decisions, newest first. */
  decisions(profileId: string): DecisionLogEntry[]
  /** Every portal's pending requests, flags filled. */
  pending(): KeyRequest[]
  now: number
}

const decisionColumns = [
  'portal',
  'request_id',
  'developer',
  'api',
  'policies',
  'catalogue',
  'decision',
  'outcome',
  'resolution',
  'reason',
  'decided_by',
  'decided_at'
] as const

const pendingColumns = [
  'portal',
  'request_id',
  'requested_at',
  'age_hours',
  'developer',
  'developer_id',
  'policies',
  'catalogue',
  'auth_type',
  'flags',
  'queued'
] as const

function inRange(iso: string | null, from?: string, to?: string): boolean {
  if (!from && !to) return true
  if (!iso) return false
  const day = iso.slice(0, 10)
  return (!from || day >= from) && (!to || day <= to)
}

const policyText = (request: KeyRequest) =>
  request.policies.map((policy) => policy.name ?? policy.id).join('; ')

/**
 * The decision log or the pending list as a file to save (docs/architecture.md#export), filtered
 * by portal and date range; CSV through `toCsv` (formula-safe), JSON with the same fields.
 */
export function buildExport(
  args: ExportArgs,
  sources: ExportSources
): { file: SaveFileRequest; rows: number } {
  const wanted = args.profileIds && new Set(args.profileIds)
  const removed = sources.removedPortals.map(({ profileId, name }) => ({ id: profileId, name }))
  const profiles = [...sources.profiles, ...(args.what === 'decisions' ? removed : [])].filter(
    (profile) => !wanted || wanted.has(profile.id)
  )
  const names = new Map(profiles.map((profile) => [profile.id, profile.name]))
  const stamp = new Date(sources.now).toISOString()
  let columns: readonly string[]
  let records: Record<string, CsvValue>[]
  if (args.what === 'decisions') {
    columns = decisionColumns
    records = profiles
      .flatMap((profile) => sources.decisions(profile.id))
      .filter((entry) => inRange(entry.decidedAt, args.from, args.to))
      .sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : 0))
      .map((entry) => ({
        portal: names.get(entry.profileId) ?? entry.profileId,
        request_id: entry.requestId,
        developer: entry.developerEmail,
        api: entry.catalogueName ?? entry.forApi ?? null,
        policies: (entry.policyNames ?? []).join('; '),
        catalogue: entry.catalogueName ?? null,
        decision: entry.kind,
        outcome: entry.outcome,
        resolution: entry.resolution?.reason ?? null,
        reason: entry.reason,
        decided_by: entry.by,
        decided_at: entry.decidedAt
      }))
  } else {
    columns = pendingColumns
    records = sources
      .pending()
      .filter((request) => names.has(request.profileId) && request.unreadable === undefined)
      .filter((request) => inRange(request.createdAt, args.from, args.to))
      .map((request) => ({
        portal: names.get(request.profileId) ?? request.profileId,
        request_id: request.id,
        requested_at: request.createdAt,
        age_hours: request.createdAt
          ? Math.max(0, Math.floor((sources.now - Date.parse(request.createdAt)) / 3_600_000))
          : null,
        developer: request.developer.email,
        developer_id: request.developer.id,
        policies: policyText(request),
        catalogue: request.catalogue?.name ?? null,
        auth_type: request.catalogue?.authType ?? null,
        flags: (request.flags ?? []).map((flag) => flag.kind).join('; '),
        queued: request.queued?.kind ?? null
      }))
  }
  const contents =
    args.format === 'csv'
      ? toCsv(
          columns,
          records.map((record) => columns.map((column) => record[column] ?? null))
        )
      : JSON.stringify(
          {
            exportedAt: stamp,
            what: args.what,
            portals: profiles.map((profile) => profile.name),
            from: args.from ?? null,
            to: args.to ?? null,
            items: records
          },
          null,
          2
        ) + '\n'
  const extension = args.format
  return {
    rows: records.length,
    file: {
      title: args.what === 'decisions' ? 'Export decisions' : 'Export pending requests',
      defaultName: `keygate-${args.what}-${stamp.slice(0, 10)}.${extension}`,
      filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      contents
    }
  }
}
