import { embedKeys, stringField, zeroCatalogueEntryJson, zeroDeveloperJson } from './shapes'
import type { DeveloperRecord, PortalState, RequestRecord } from './state'
import type { EmulatorSwitches, JsonObject } from './types'

/**
 * JSON rendering with per-record caches: a 10,000-item list is mostly string concatenation of
 * pieces rendered once, re-rendered only when the request, its developer or a switch changed.
 */

export function developerJson(record: DeveloperRecord): string {
  if (record.json === null) record.json = JSON.stringify(record.doc)
  return record.json
}

function ownJson(doc: JsonObject): string {
  const own: JsonObject = {}
  for (const [key, value] of Object.entries(doc)) {
    if (!(embedKeys as readonly string[]).includes(key)) own[key] = value
  }
  return JSON.stringify(own)
}

/**
 * A key request with `portal_developer`, `catalogue_entry` and `catalogues` embedded, as UTF-8
 * bytes: cached that way, a long list is written without encoding 30 MB again on every call.
 */
export function requestJson(
  state: PortalState,
  record: RequestRecord,
  switches: Pick<EmulatorSwitches, 'emptyData'>
): Buffer {
  const developer = state.getDeveloper(stringField(record.doc, 'by_user')) ?? null
  const developerVersion = developer?.version ?? -1
  const emptyNull = switches.emptyData === 'null'
  const cached = record.rendered
  if (
    cached &&
    cached.version === record.version &&
    cached.developer === developer &&
    cached.developerVersion === developerVersion &&
    cached.catalogueVersion === state.catalogueVersion &&
    cached.emptyNull === emptyNull
  ) {
    return cached.json
  }
  const own = ownJson(record.doc)
  const entries = state.entriesForRequest(record.doc)
  const first = entries[0]
  const catalogues =
    entries.length > 0
      ? `[${entries.map((e) => state.catalogueEntryJson(e)).join(',')}]`
      : emptyNull
        ? 'null'
        : '[]'
  const json = Buffer.from(
    own.slice(0, -1) +
      (own.length > 2 ? ',' : '') +
      `"portal_developer":${developer ? developerJson(developer) : zeroDeveloperJson}` +
      `,"catalogue_entry":${first ? state.catalogueEntryJson(first) : zeroCatalogueEntryJson}` +
      `,"catalogues":${catalogues}}`
  )
  record.rendered = {
    json,
    version: record.version,
    developer,
    developerVersion,
    catalogueVersion: state.catalogueVersion,
    emptyNull
  }
  return json
}

/** A policy as the Dashboard lists it; `id` per the policyIdField switch. */
export function policyJson(
  doc: JsonObject,
  switches: Pick<EmulatorSwitches, 'policyIdField'>
): string {
  const id = switches.policyIdField === 'mirror' ? stringField(doc, '_id') : ''
  return JSON.stringify({ ...doc, id })
}
