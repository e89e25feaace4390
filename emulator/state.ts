import { SortedIndex, type Sortable } from './sorted-index'
import { dateMs, isObject, requestedPolicies, stringField } from './shapes'
import type { EmulatorData, IssuedKey, JsonObject } from './types'

export interface RequestRecord extends Sortable {
  id: string
  doc: JsonObject
  approved: boolean
  /** Bumped on every change, so cached renderings know they are stale. */
  version: number
  rendered: RenderedRequest | null
}

export interface RenderedRequest {
  json: Buffer
  version: number
  developer: DeveloperRecord | null
  developerVersion: number
  catalogueVersion: number
  emptyNull: boolean
}

export interface DeveloperRecord extends Sortable {
  id: string
  doc: JsonObject
  version: number
  json: string | null
}

export interface PolicyRecord extends Sortable {
  id: string
  doc: JsonObject
}

/** The Dashboard's data for one org, with the indexes that keep lists and approvals fast. */
export class PortalState {
  readonly orgId: string
  readonly catalogue: JsonObject
  readonly configuration: JsonObject
  private readonly requests = new Map<string, RequestRecord>()
  private readonly allRequests = new SortedIndex<RequestRecord>()
  private readonly pendingRequests = new SortedIndex<RequestRecord>()
  private readonly approvedRequests = new SortedIndex<RequestRecord>()
  private readonly developers = new Map<string, DeveloperRecord>()
  private readonly developersByEmail = new Map<string, DeveloperRecord>()
  private readonly developerIndex = new SortedIndex<DeveloperRecord>()
  private readonly policies = new Map<string, PolicyRecord>()
  private readonly policyIndex = new SortedIndex<PolicyRecord>()
  private readonly entriesByPolicy = new Map<string, JsonObject[]>()
  private readonly entryJson = new WeakMap<JsonObject, string>()
  private readonly keysByRequest = new Map<string, IssuedKey[]>()
  private readonly keysByToken = new Map<string, IssuedKey>()
  private seq = 0
  /** Bumped when a catalogue entry goes, so cached request embeds are rendered again. */
  catalogueVersion = 0

  constructor(data: EmulatorData) {
    this.orgId = data.orgId
    this.catalogue = data.catalogue
    this.configuration = data.configuration
    const apis = Array.isArray(data.catalogue.apis) ? data.catalogue.apis : []
    for (const entry of apis) {
      if (!isObject(entry)) continue
      const policyId = stringField(entry, 'policy_id')
      const list = this.entriesByPolicy.get(policyId) ?? []
      list.push(entry)
      this.entriesByPolicy.set(policyId, list)
    }
    for (const doc of data.policies) this.addPolicy(doc)
    for (const doc of data.developers) this.addDeveloper(doc)
    for (const doc of data.requests) this.addRequest(doc)
    for (const key of data.keys) this.recordKey(key)
  }

  get pendingCount(): number {
    return this.pendingRequests.size
  }

  get requestCount(): number {
    return this.requests.size
  }

  private nextSeq(): number {
    this.seq += 1
    return this.seq
  }

  /** Stores a request document as it is; its id is `id`, else `_id`, else the caller's. */
  addRequest(doc: JsonObject, fallbackId?: string): RequestRecord {
    const id = requestId(doc) ?? fallbackId
    if (id === undefined) throw new Error('A key request document needs an id')
    if (this.requests.has(id)) throw new Error(`A key request with id ${id} already exists`)
    const record: RequestRecord = {
      id,
      doc,
      approved: doc.approved === true,
      time: dateMs(doc.date_created),
      seq: this.nextSeq(),
      version: 0,
      rendered: null
    }
    this.requests.set(id, record)
    this.indexRequest(record)
    return record
  }

  getRequest(id: string): RequestRecord | undefined {
    return this.requests.get(id)
  }

  hasRequest(id: string): boolean {
    return this.requests.has(id)
  }

  /** Replaces a request's document (PUT, approve), re-indexing it if its date or state moved. */
  replaceRequest(record: RequestRecord, doc: JsonObject): void {
    this.unindexRequest(record)
    record.doc = doc
    record.approved = doc.approved === true
    record.time = dateMs(doc.date_created)
    record.version += 1
    this.indexRequest(record)
  }

  deleteRequest(record: RequestRecord): void {
    this.unindexRequest(record)
    this.requests.delete(record.id)
  }

  /** A page [start, end) of requests; `approved` undefined lists both. */
  requestSlice(
    approved: boolean | undefined,
    start: number,
    end: number,
    newestFirst: boolean
  ): RequestRecord[] {
    return this.requestIndex(approved).slice(start, end, newestFirst)
  }

  requestTotal(approved: boolean | undefined): number {
    return this.requestIndex(approved).size
  }

  private requestIndex(approved: boolean | undefined): SortedIndex<RequestRecord> {
    if (approved === undefined) return this.allRequests
    return approved ? this.approvedRequests : this.pendingRequests
  }

  private indexRequest(record: RequestRecord): void {
    this.allRequests.insert(record)
    ;(record.approved ? this.approvedRequests : this.pendingRequests).insert(record)
  }

  private unindexRequest(record: RequestRecord): void {
    this.allRequests.remove(record)
    ;(record.approved ? this.approvedRequests : this.pendingRequests).remove(record)
  }

  addDeveloper(doc: JsonObject): DeveloperRecord {
    const id = stringField(doc, 'id')
    const record: DeveloperRecord = {
      id,
      doc,
      version: 0,
      json: null,
      time: dateMs(doc.date_created),
      seq: this.nextSeq()
    }
    this.developers.set(id, record)
    this.developersByEmail.set(stringField(doc, 'email').toLowerCase(), record)
    this.developerIndex.insert(record)
    return record
  }

  getDeveloper(id: string): DeveloperRecord | undefined {
    return this.developers.get(id)
  }

  developerByEmail(email: string): DeveloperRecord | undefined {
    return this.developersByEmail.get(email.toLowerCase())
  }

  developerSlice(start: number, end: number, newestFirst: boolean): DeveloperRecord[] {
    return this.developerIndex.slice(start, end, newestFirst)
  }

  get developerCount(): number {
    return this.developerIndex.size
  }

  developerIds(): string[] {
    return this.developerIndex.slice(0, this.developerIndex.size, false).map((d) => d.id)
  }

  /** Marks a developer changed after its document was mutated in place. */
  touchDeveloper(record: DeveloperRecord): void {
    record.version += 1
    record.json = null
  }

  deleteDeveloper(id: string): boolean {
    const record = this.developers.get(id)
    if (!record) return false
    this.developers.delete(id)
    this.developersByEmail.delete(stringField(record.doc, 'email').toLowerCase())
    this.developerIndex.remove(record)
    return true
  }

  addPolicy(doc: JsonObject): void {
    const id = stringField(doc, '_id') || stringField(doc, 'id')
    const record: PolicyRecord = { id, doc, time: dateMs(doc.date_created), seq: this.nextSeq() }
    this.policies.set(id, record)
    this.policyIndex.insert(record)
  }

  getPolicy(id: string): PolicyRecord | undefined {
    return this.policies.get(id)
  }

  policySlice(start: number, end: number, newestFirst: boolean): PolicyRecord[] {
    return this.policyIndex.slice(start, end, newestFirst)
  }

  policyList(): PolicyRecord[] {
    return this.policyIndex.slice(0, this.policyIndex.size, false)
  }

  deletePolicy(id: string): boolean {
    const record = this.policies.get(id)
    if (!record) return false
    this.policies.delete(id)
    this.policyIndex.remove(record)
    return true
  }

  /** Catalogue entries whose `policy_id` is one of `policyIds`, in the request's policy order. */
  entriesFor(policyIds: string[]): JsonObject[] {
    const out: JsonObject[] = []
    for (const policyId of policyIds) out.push(...(this.entriesByPolicy.get(policyId) ?? []))
    return out
  }

  /** Removes every catalogue entry for the policy, as an admin editing the catalogue would. */
  deleteCatalogueEntry(policyId: string): boolean {
    if (!this.entriesByPolicy.delete(policyId)) return false
    const apis = Array.isArray(this.catalogue.apis) ? this.catalogue.apis : []
    this.catalogue.apis = apis.filter(
      (entry) => !isObject(entry) || stringField(entry, 'policy_id') !== policyId
    )
    this.catalogueVersion += 1
    return true
  }

  /** Entries a request's policies match (`catalogue_entry` is the first of them). */
  entriesForRequest(doc: JsonObject): JsonObject[] {
    return this.entriesFor(requestedPolicies(doc))
  }

  catalogueEntryJson(entry: JsonObject): string {
    let json = this.entryJson.get(entry)
    if (json === undefined) {
      json = JSON.stringify(entry)
      this.entryJson.set(entry, json)
    }
    return json
  }

  recordKey(key: IssuedKey): void {
    const list = this.keysByRequest.get(key.requestId) ?? []
    list.push(key)
    this.keysByRequest.set(key.requestId, list)
    this.keysByToken.set(key.keyId, key)
    const raw = key.response.RawKey
    if (typeof raw === 'string' && raw !== '') this.keysByToken.set(raw, key)
  }

  keysFor(requestId: string): IssuedKey[] {
    return this.keysByRequest.get(requestId) ?? []
  }

  /** A key issued earlier, found by its raw key or its recorded id (hash). */
  keyByToken(token: string): IssuedKey | undefined {
    return this.keysByToken.get(token)
  }

  allKeys(): IssuedKey[] {
    return [...this.keysByRequest.values()].flat()
  }

  /** Everything, in the --data file format (documents are copied). */
  toData(): EmulatorData {
    return structuredClone({
      orgId: this.orgId,
      policies: this.policyList().map((p) => p.doc),
      catalogue: this.catalogue,
      configuration: this.configuration,
      developers: this.developerIndex.slice(0, this.developerIndex.size, false).map((d) => d.doc),
      requests: this.allRequests.slice(0, this.allRequests.size, false).map((r) => r.doc),
      keys: this.allKeys()
    })
  }
}

function requestId(doc: JsonObject): string | undefined {
  if (typeof doc.id === 'string' && doc.id !== '') return doc.id
  if (typeof doc._id === 'string' && doc._id !== '') return doc._id
  return undefined
}
