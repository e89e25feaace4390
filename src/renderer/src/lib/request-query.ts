import type { RequestFlagKind } from '../../../shared/domain'
import { parseTime } from './format'
import { filterRows, policyLabel, type RequestRow } from './request-rows'

/**
 * The search box's query: free text plus `field:value` filters, e.g.
 * `policy:"Free Tier" age:>3d portal:prod dev:alice mobile`.
 */
export interface RequestQuery {
  /** Free text, lower-cased; every term must match somewhere in the request. */
  terms: string[]
  policy: string[]
  portal: string[]
  dev: string[]
  catalogue: string[]
  age: AgeBound[]
  /** `flag:dup`, `flag:missing`, `flag:any`...: each must match one of the request's flags. */
  flag: FlagMatch[]
}

/** A flag kind, `missing` (policy or catalogue entry), or `any` flag at all. */
export type FlagMatch = RequestFlagKind | 'missing' | 'any'

const flagAliases: Record<string, FlagMatch> = {
  dup: 'duplicate',
  duplicate: 'duplicate',
  access: 'has-access',
  'has-access': 'has-access',
  held: 'has-access',
  missing: 'missing',
  'missing-policy': 'missing-policy',
  policy: 'missing-policy',
  'missing-catalogue': 'missing-catalogue',
  catalogue: 'missing-catalogue',
  legacy: 'legacy',
  any: 'any'
}

/** What `flag:` accepts, for the filter menu: value to write, label to show. */
export const flagFilterOptions: { value: string; label: string }[] = [
  { value: 'any', label: 'Any flag' },
  { value: 'dup', label: 'Duplicate' },
  { value: 'access', label: 'Already has access' },
  { value: 'missing', label: 'Policy or catalogue missing' },
  { value: 'legacy', label: 'Legacy for_plan' }
]

/** `age:>3d`: older than 3 days; `age:<12h`: newer than 12 hours. */
export interface AgeBound {
  older: boolean
  ms: number
}

type TextField = 'policy' | 'portal' | 'dev' | 'catalogue'

const fieldNames: Record<string, TextField | 'age' | 'flag'> = {
  policy: 'policy',
  portal: 'portal',
  dev: 'dev',
  developer: 'dev',
  catalogue: 'catalogue',
  catalog: 'catalogue',
  api: 'catalogue',
  age: 'age',
  flag: 'flag',
  flags: 'flag'
}

const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `>3d`, `<12h`, `>90m`, `>2w`; null when it is not (yet) one. */
export function parseAge(value: string): AgeBound | null {
  const match = /^([<>])(\d+(?:\.\d+)?)([mhdw])$/.exec(value)
  if (!match) return null
  return { older: match[1] === '>', ms: Number(match[2]) * (unitMs[match[3] as string] ?? 0) }
}

/** Whitespace-separated tokens; a double-quoted stretch (unterminated: to the end) is one. */
function tokens(text: string): string[] {
  const found: string[] = []
  let current = ''
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && /\s/.test(char)) {
      if (current) found.push(current)
      current = ''
    } else current += char
  }
  if (current) found.push(current)
  return found
}

export function emptyQuery(): RequestQuery {
  return { terms: [], policy: [], portal: [], dev: [], catalogue: [], age: [], flag: [] }
}

export function parseQuery(text: string): RequestQuery {
  const query = emptyQuery()
  const free: string[] = []
  for (const token of tokens(text)) {
    const colon = token.indexOf(':')
    const field = colon > 0 ? fieldNames[token.slice(0, colon).toLowerCase()] : undefined
    if (!field) {
      free.push(token)
      continue
    }
    const value = token.slice(colon + 1).trim()
    // A field still being typed (`policy:`, `age:>`) filters nothing yet.
    if (!value) continue
    if (field === 'age') {
      const bound = parseAge(value)
      if (bound) query.age.push(bound)
      else if (!/^[<>]?\d*\.?\d*$/.test(value)) free.push(token)
    } else if (field === 'flag') {
      const match = flagAliases[value.toLowerCase()]
      if (match) query.flag.push(match)
      else free.push(token)
    } else {
      query[field].push(value.toLowerCase())
    }
  }
  query.terms = free.map((term) => term.toLowerCase())
  return query
}

/** True when the query narrows nothing. */
export function isEmptyQuery(query: RequestQuery): boolean {
  return (
    query.terms.length === 0 &&
    query.policy.length === 0 &&
    query.portal.length === 0 &&
    query.dev.length === 0 &&
    query.catalogue.length === 0 &&
    query.age.length === 0 &&
    query.flag.length === 0
  )
}

/** The filters other than free text, as one comparable string. */
export function filtersKey(query: RequestQuery): string {
  const { terms: _terms, ...filters } = query
  return JSON.stringify(filters)
}

export interface QueryContext {
  now: number
  /** The portal's name for a profile id. */
  portalName(profileId: string): string
}

const includesAll = (text: string, values: readonly string[]): boolean =>
  values.every((value) => text.includes(value))

function fieldMatches(row: RequestRow, query: RequestQuery, context: QueryContext): boolean {
  const { item } = row
  if (query.dev.length > 0) {
    const text = `${item.developer.email ?? ''} ${item.developer.id}`.toLowerCase()
    if (!includesAll(text, query.dev)) return false
  }
  if (query.policy.length > 0) {
    let text = ''
    for (const policy of item.policies) text += `${policyLabel(policy)} ${policy.id}\n`
    if (!includesAll(text.toLowerCase(), query.policy)) return false
  }
  if (query.catalogue.length > 0) {
    let text = `${item.details.forApi ?? ''}\n${item.catalogue?.name ?? ''}`
    for (const entry of item.catalogues) text += `\n${entry.name}`
    if (!includesAll(text.toLowerCase(), query.catalogue)) return false
  }
  if (query.portal.length > 0) {
    const text = `${context.portalName(item.profileId)}\n${item.profileId}`.toLowerCase()
    if (!includesAll(text, query.portal)) return false
  }
  for (const match of query.flag) {
    const flags = item.flags ?? []
    const found =
      match === 'any'
        ? flags.length > 0
        : match === 'missing'
          ? flags.some((f) => f.kind === 'missing-policy' || f.kind === 'missing-catalogue')
          : flags.some((f) => f.kind === match)
    if (!found) return false
  }
  if (query.age.length > 0) {
    const created = parseTime(item.createdAt)
    if (created === null) return false
    const elapsed = context.now - created
    for (const bound of query.age) {
      if (bound.older ? elapsed <= bound.ms : elapsed >= bound.ms) return false
    }
  }
  return true
}

/** Whitespace-separated tokens of `text` that set `field` (or one of its aliases). */
function isFieldToken(token: string, field: string): boolean {
  const colon = token.indexOf(':')
  return colon > 0 && fieldNames[token.slice(0, colon).toLowerCase()] === fieldNames[field]
}

/**
 * The query text with `field` set to `value` (quoted when it holds a space) in place of whatever
 * set it before, or removed when `value` is null: what a filter menu writes, so menus and typed
 * syntax are one query.
 */
export function withField(text: string, field: string, value: string | null): string {
  const kept = tokens(text)
    .filter((token) => !isFieldToken(token, field))
    .map((token) => (/\s/.test(token) ? `"${token}"` : token))
  if (value !== null && value !== '') {
    kept.push(`${field}:${/\s/.test(value) ? `"${value}"` : value}`)
  }
  return kept.join(' ')
}

/** The value `field` has in the query text (the last one set), or '' when it has none. */
export function fieldValue(text: string, field: string): string {
  const found = tokens(text).filter((token) => isFieldToken(token, field))
  const last = found[found.length - 1]
  return last === undefined ? '' : last.slice(last.indexOf(':') + 1)
}

/** The rows the query matches, in their order: O(n) over `rows`. */
export function applyQuery(
  rows: readonly RequestRow[],
  query: RequestQuery,
  context: QueryContext
): RequestRow[] {
  const texted = filterRows(rows, query.terms)
  if (filtersKey(query) === filtersKey(emptyQuery())) return texted
  return texted.filter((row) => fieldMatches(row, query, context))
}
