import type { KeyRequest, PolicyRef } from '../../../shared/domain'

/**
 * A key request in the list. Deliberately thin so 10,000 of them land in a few milliseconds:
 * display text is derived per visible row, and the search text is filled in lazily.
 */
export interface RequestRow {
  key: string
  item: KeyRequest
  /** Lower-cased search text; a cache filled by `haystackOf` (in idle time, or on first search). */
  haystack: string | null
}

export interface RequestRef {
  profileId: string
  requestId: string
}

/** Ids are unique per profile only; the merged inbox needs both parts. */
export function rowKey(profileId: string, requestId: string): string {
  return `${profileId}\n${requestId}`
}

export function refKey(ref: RequestRef): string {
  return rowKey(ref.profileId, ref.requestId)
}

export function policyLabel(policy: PolicyRef): string {
  return policy.name ?? policy.id
}

export function buildRow(item: KeyRequest): RequestRow {
  return { key: rowKey(item.profileId, item.id), item, haystack: null }
}

export function buildRows(items: readonly KeyRequest[]): RequestRow[] {
  const rows = new Array<RequestRow>(items.length)
  for (let i = 0; i < items.length; i++) rows[i] = buildRow(items[i] as KeyRequest)
  return rows
}

export function catalogueText(item: KeyRequest): string {
  const first = item.catalogue?.name ?? item.catalogues[0]?.name
  if (!first) return item.details.forApi ?? 'No catalogue entry'
  let more = 0
  for (const entry of item.catalogues) if (entry.name !== first) more++
  return more > 0 ? `${first} +${more}` : first
}

export function policiesText(policies: readonly PolicyRef[]): string {
  let text = ''
  for (const policy of policies) text += (text ? ', ' : '') + policyLabel(policy)
  return text || 'No policy'
}

const FIELD_PREVIEW = 3
const VALUE_PREVIEW = 40

/** "reason: Mobile app · company: Acme · +2 more" */
export function fieldsText(fields: Record<string, string>): string {
  let text = ''
  let count = 0
  for (const name in fields) {
    count++
    if (count > FIELD_PREVIEW) continue
    const value = fields[name] ?? ''
    const short = value.length > VALUE_PREVIEW ? `${value.slice(0, VALUE_PREVIEW)}…` : value
    text += `${count > 1 ? ' · ' : ''}${name}: ${short}`
  }
  return count > FIELD_PREVIEW ? `${text} · +${count - FIELD_PREVIEW} more` : text
}

const SEP = '\u0001'

/** Email, ids, catalogue entries, policies and custom fields, lower-cased, for the search. */
export function haystackOf(row: RequestRow): string {
  if (row.haystack !== null) return row.haystack
  const { item } = row
  // Plain concatenation: with arrays and spreads this costs tens of ms per 10,000 requests.
  let text = `${item.developer.email ?? ''}${SEP}${item.developer.id}${SEP}${item.id}`
  if (item.details.forApi) text += SEP + item.details.forApi
  if (item.catalogue) text += SEP + item.catalogue.name
  for (const entry of item.catalogues) text += SEP + entry.name
  for (const policy of item.policies) text += `${SEP}${policy.name ?? ''} ${policy.id}`
  for (const name in item.fields) text += `${SEP}${name} ${item.fields[name] ?? ''}`
  row.haystack = text.toLowerCase()
  return row.haystack
}

const INDEX_SLICE_MS = 6

/**
 * Fills the search text of `rows` in idle slices after the list is on screen, so neither the
 * first paint nor the first keystroke pays for it. Returns a cancel function.
 */
export function indexWhenIdle(rows: readonly RequestRow[]): () => void {
  let next = 0
  let handle = 0
  const slice = () => {
    const until = performance.now() + INDEX_SLICE_MS
    while (next < rows.length) {
      haystackOf(rows[next] as RequestRow)
      next++
      if (next % 200 === 0 && performance.now() > until) break
    }
    if (next < rows.length) handle = requestIdleCallback(slice)
  }
  handle = requestIdleCallback(slice)
  return () => cancelIdleCallback(handle)
}

/** Whitespace-separated terms, all of which must match. */
export function searchTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

export function filterRows(rows: readonly RequestRow[], terms: readonly string[]): RequestRow[] {
  if (terms.length === 0) return rows.slice()
  if (terms.length === 1) {
    const [term] = terms as [string]
    return rows.filter((row) => haystackOf(row).includes(term))
  }
  return rows.filter((row) => {
    const text = haystackOf(row)
    return terms.every((term) => text.includes(term))
  })
}

/**
 * True when every row matching `next` also matches `previous` (the user typed more), so the
 * filter can start from the previous result instead of the whole list.
 */
export function narrows(previous: readonly string[], next: readonly string[]): boolean {
  if (previous.length === 0 || next.length < previous.length) return false
  const last = previous.length - 1
  for (let i = 0; i < last; i++) if (previous[i] !== next[i]) return false
  return (next[last] ?? '').includes(previous[last] ?? '\u0000')
}
