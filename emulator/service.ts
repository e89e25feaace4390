import { randomBytes } from 'node:crypto'
import { approveRequest, revokeKey } from './approve'
import type { HexSource } from './credentials'
import {
  fail,
  listEnvelope,
  messages,
  ok,
  parsePage,
  planPage,
  type ApiAnswer,
  type PagePlan
} from './envelopes'
import { Rng, objectId } from './prng'
import { developerJson, policyJson, requestJson } from './render'
import { buildDeveloper, buildRequest, goTime } from './seed'
import { isObject, normalizeKeyRequest, stringField } from './shapes'
import { PortalState, type DeveloperRecord, type RequestRecord } from './state'
import type {
  ApproveOutcome,
  EmulatorData,
  EmulatorStats,
  EmulatorSwitches,
  IssuedKey,
  JsonObject
} from './types'
import type { WebhookSender } from './webhook'

// Credentials draw from a pool of random bytes: one crypto call per 4 KB, not several per approve.
let randomPool = Buffer.alloc(0)
let randomOffset = 0
const cryptoHex: HexSource = (length) => {
  const bytes = Math.ceil(length / 2)
  if (randomOffset + bytes > randomPool.length) {
    randomPool = randomBytes(Math.max(4096, bytes))
    randomOffset = 0
  }
  const hex = randomPool.toString('hex', randomOffset, randomOffset + bytes).slice(0, length)
  randomOffset += bytes
  return hex
}

const objectIdPattern = /^[0-9a-f]{24}$/i

/** Generated requests per developer before generatePending adds a developer. */
const requestsPerDeveloper = 3

/**
 * The Dashboard's portal behaviour over one org's state: every /api endpoint and every control
 * action, with the stats the chaos test checks. HTTP concerns (auth, faults, sockets) live in
 * server.ts.
 */
export class PortalService {
  private state: PortalState
  private approvals = new Map<string, number>()
  private deletes = new Map<string, number>()
  private deletesOfApproved = 0
  private apiRequests = 0
  private readonly rng: Rng
  private readonly idTail = cryptoHex(10)
  private idCounter = Number.parseInt(cryptoHex(6), 16)

  constructor(
    private readonly snapshot: EmulatorData,
    readonly switches: EmulatorSwitches,
    private readonly webhook: WebhookSender,
    seed: number
  ) {
    this.state = new PortalState(structuredClone(snapshot))
    this.rng = new Rng(seed ^ 0x2545f491)
  }

  private now(): string {
    return goTime(Date.now())
  }

  /** A fresh ObjectId-like id: creation seconds, a per-instance part, a counter (as Mongo does). */
  private newId(): string {
    this.idCounter = (this.idCounter + 1) % 0x1000000
    return objectId(Date.now(), this.idTail + this.idCounter.toString(16).padStart(6, '0'))
  }

  countApiRequest(): void {
    this.apiRequests += 1
  }

  // ---- /api/portal/requests ----

  listRequests(query: URLSearchParams): ApiAnswer {
    const approvedParam = query.get('approved')
    const approved = approvedParam === 'true' ? true : approvedParam === 'false' ? false : undefined
    return this.page(query, this.state.requestTotal(approved), (plan, newestFirst) =>
      this.state
        .requestSlice(approved, plan.start, plan.end, newestFirst)
        .map((record) => requestJson(this.state, record, this.switches))
    )
  }

  /**
   * Shared paging for every list: `p` as README's Paging says, the page's items in the list
   * envelope.
   */
  private page(
    query: URLSearchParams,
    total: number,
    render: (plan: PagePlan, newestFirst: boolean) => Buffer[]
  ): ApiAnswer {
    const request = parsePage(query.get('p'), this.switches)
    if (request.kind === 'invalid') return fail(400, messages.badPage, this.switches)
    const plan = planPage(request, total, this.switches)
    const items = render(plan, this.switches.sortOrder === 'newest-first')
    return { status: 200, body: listEnvelope(items, plan.pages, this.switches) }
  }

  private invalidId(id: string, what: string): ApiAnswer | null {
    if (!this.switches.strictIds || objectIdPattern.test(id)) return null
    return fail(400, `Invalid ${what} ID.`, this.switches)
  }

  getRequest(id: string): ApiAnswer {
    const invalid = this.invalidId(id, 'key request')
    if (invalid) return invalid
    const record = this.state.getRequest(id)
    if (!record) return fail(404, messages.notFound, this.switches)
    return { status: 200, body: requestJson(this.state, record, this.switches) }
  }

  createRequest(rawBody: string): ApiAnswer {
    const id = this.newId()
    const doc = normalizeKeyRequest(parseJson(rawBody), {
      id,
      orgId: this.state.orgId,
      now: this.now()
    })
    if (!doc) return fail(403, messages.malformed, this.switches)
    if (this.switches.createValidatesPolicy && this.hasUnknownPolicy(doc)) {
      return fail(400, messages.noPolicy, this.switches)
    }
    const record = this.state.addRequest(doc)
    this.webhook.send('key_request_event.submitted', () =>
      requestJson(this.state, record, this.switches)
    )
    return ok(id, this.switches)
  }

  private hasUnknownPolicy(doc: JsonObject): boolean {
    const ids = [...(Array.isArray(doc.apply_policies) ? doc.apply_policies : [])]
    if (ids.length === 0 && stringField(doc, 'for_plan') !== '') ids.push(doc.for_plan)
    return ids.some((id) => typeof id !== 'string' || !this.state.getPolicy(id))
  }

  updateRequest(id: string, rawBody: string): ApiAnswer {
    const invalid = this.invalidId(id, 'key request')
    if (invalid) return invalid
    const record = this.state.getRequest(id)
    if (!record) return fail(404, messages.notFound, this.switches)
    const doc = normalizeKeyRequest(parseJson(rawBody), {
      id,
      orgId: this.state.orgId,
      now: stringField(record.doc, 'date_created') || this.now()
    })
    if (!doc) return fail(403, messages.malformed, this.switches)
    this.state.replaceRequest(record, doc)
    return ok(this.switches.updateMessage === 'id' ? id : messages.updated, this.switches)
  }

  approve(id: string): ApiAnswer {
    const outcome = this.approveNow(id)
    return { status: outcome.status, body: outcome.body ? JSON.stringify(outcome.body) : null }
  }

  private approveNow(id: string): ApproveOutcome {
    const result = approveRequest(
      { state: this.state, switches: this.switches, hex: cryptoHex, now: () => this.now() },
      id
    )
    if (result.ok) {
      this.approvals.set(id, (this.approvals.get(id) ?? 0) + 1)
      this.webhook.send(this.switches.approveEventName, () =>
        requestJson(this.state, result.record, this.switches)
      )
    }
    return { status: result.status, body: result.body }
  }

  deleteRequest(id: string): ApiAnswer {
    const invalid = this.invalidId(id, 'key request')
    if (invalid) return invalid
    if (!this.deleteNow(id)) return fail(404, messages.deleteNotFound, this.switches)
    return ok(messages.deleted, this.switches)
  }

  private deleteNow(id: string): boolean {
    const record = this.state.getRequest(id)
    if (!record) return false
    if (record.approved) {
      this.deletesOfApproved += 1
      if (this.switches.deleteRevokesKey) {
        for (const key of this.state.keysFor(id)) revokeKey(this.state, key)
      }
    }
    this.state.deleteRequest(record)
    this.deletes.set(id, (this.deletes.get(id) ?? 0) + 1)
    return true
  }

  // ---- developers, policies, catalogue, configuration ----

  listDevelopers(query: URLSearchParams): ApiAnswer {
    return this.page(query, this.state.developerCount, (plan, newestFirst) =>
      this.state
        .developerSlice(plan.start, plan.end, newestFirst)
        .map((record) => Buffer.from(developerJson(record)))
    )
  }

  getDeveloper(id: string): ApiAnswer {
    const invalid = this.invalidId(id, 'developer')
    if (invalid) return invalid
    const record = this.state.getDeveloper(id)
    if (!record) return fail(404, messages.notFound, this.switches)
    return { status: 200, body: developerJson(record) }
  }

  developerByEmail(email: string): ApiAnswer {
    const record = this.state.developerByEmail(email)
    if (!record) return fail(404, messages.notFound, this.switches)
    return { status: 200, body: developerJson(record) }
  }

  listPolicies(query: URLSearchParams): ApiAnswer {
    // Any value of `active` lists only active policies (README, policies).
    const activeOnly = query.has('active')
    const policies = this.state.policyList().filter((p) => !activeOnly || p.doc.active === true)
    return this.page(query, policies.length, (plan, newestFirst) =>
      (newestFirst ? policies.reverse() : policies)
        .slice(plan.start, plan.end)
        .map((p) => Buffer.from(policyJson(p.doc, this.switches)))
    )
  }

  getPolicy(id: string): ApiAnswer {
    const invalid = this.invalidId(id, 'policy')
    if (invalid) return invalid
    const record = this.state.getPolicy(id)
    if (!record) return fail(404, messages.notFound, this.switches)
    return { status: 200, body: policyJson(record.doc, this.switches) }
  }

  catalogue(): ApiAnswer {
    return { status: 200, body: JSON.stringify(this.state.catalogue) }
  }

  configuration(): ApiAnswer {
    const config = {
      ...this.state.configuration,
      secure_key_approval: this.switches.secureKeyApproval,
      HashKeys: this.switches.hashKeys
    }
    return { status: 200, body: JSON.stringify(config) }
  }

  // ---- control ----

  reset(): void {
    this.state = new PortalState(structuredClone(this.snapshot))
    this.approvals = new Map()
    this.deletes = new Map()
    this.deletesOfApproved = 0
    this.apiRequests = 0
  }

  insertRequests(docs: JsonObject[]): string[] {
    return docs.map((given) => {
      if (!isObject(given)) throw new Error('Each inserted key request must be a JSON object')
      const doc = structuredClone(given)
      let fallback: string | undefined
      if (!(typeof doc.id === 'string' && doc.id) && !(typeof doc._id === 'string' && doc._id)) {
        fallback = this.newId()
        doc.id = fallback
      }
      return this.state.addRequest(doc, fallback).id
    })
  }

  generatePending(count: number): string[] {
    if (!Number.isInteger(count) || count < 0) {
      throw new Error(`generatePending needs a whole count >= 0, got ${count}`)
    }
    const developers = this.state.developerIds()
    const entries = this.generatableEntries()
    if (count > 0 && (developers.length === 0 || entries.length === 0)) {
      throw new Error(
        'Cannot generate requests: the state has no developers or no catalogue policy'
      )
    }
    const newest = this.state.requestSlice(undefined, 0, 1, true)[0]?.time ?? 0
    const base = Math.max(Date.now(), newest + 1)
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      const developer = this.generatingDeveloper(developers)
      const entry = this.rng.pick(entries)
      const doc = buildRequest(this.rng, {
        orgId: this.state.orgId,
        created: base + i,
        legacy: false,
        developer: developer.doc,
        policyId: entry.policyId,
        authType: entry.authType
      })
      while (this.state.hasRequest(String(doc.id))) doc.id = this.newId()
      const record = this.state.addRequest(doc)
      this.webhook.send('key_request_event.submitted', () =>
        requestJson(this.state, record, this.switches)
      )
      ids.push(record.id)
    }
    return ids
  }

  /**
   * A developer for the next generated request: an existing one, or a new one once there are
   * more than `requestsPerDeveloper` requests each, so that a 10,000-request benchmark does not
   * pile thousands of keys onto a handful of developers (whose embeds would then dwarf the list).
   */
  private generatingDeveloper(pool: string[]): DeveloperRecord {
    if (this.state.requestCount >= requestsPerDeveloper * this.state.developerCount) {
      const doc = buildDeveloper(this.rng, this.state.orgId, Date.now(), (email) =>
        Boolean(this.state.developerByEmail(email))
      )
      while (this.state.getDeveloper(String(doc.id))) doc.id = this.newId()
      pool.push(String(doc.id))
      return this.state.addDeveloper(doc)
    }
    const developer = this.state.getDeveloper(this.rng.pick(pool))
    if (!developer) throw new Error('Developer pool out of sync with the state')
    return developer
  }

  private generatableEntries(): { policyId: string; authType: string }[] {
    const apis = Array.isArray(this.state.catalogue.apis) ? this.state.catalogue.apis : []
    const fromCatalogue = apis
      .filter(isObject)
      .map((e) => ({
        policyId: stringField(e, 'policy_id'),
        authType: stringField(e, 'auth_type')
      }))
      .filter((e) => this.state.getPolicy(e.policyId))
    if (fromCatalogue.length > 0) return fromCatalogue
    return this.state
      .policyList()
      .map((p) => ({ policyId: p.id, authType: stringField(p.doc, 'auth_type') || 'authToken' }))
  }

  approveDirectly(id: string): ApproveOutcome {
    return this.approveNow(id)
  }

  deleteDirectly(id: string): boolean {
    return this.deleteNow(id)
  }

  deletePolicy(id: string): boolean {
    return this.state.deletePolicy(id)
  }

  deleteCatalogueEntry(policyId: string): boolean {
    return this.state.deleteCatalogueEntry(policyId)
  }

  deleteDeveloper(id: string): boolean {
    return this.state.deleteDeveloper(id)
  }

  requestDocument(id: string): JsonObject | null {
    const record = this.state.getRequest(id)
    return record ? structuredClone(record.doc) : null
  }

  requestIds(filter?: { approved?: boolean }): string[] {
    const approved = filter?.approved
    const total = this.state.requestTotal(approved)
    const newestFirst = this.switches.sortOrder === 'newest-first'
    return this.state.requestSlice(approved, 0, total, newestFirst).map((r: RequestRecord) => r.id)
  }

  issuedKeys(id: string): IssuedKey[] {
    return structuredClone(this.state.keysFor(id))
  }

  stats(): EmulatorStats {
    return {
      approvals: Object.fromEntries(this.approvals),
      deletes: Object.fromEntries(this.deletes),
      deletesOfApproved: this.deletesOfApproved,
      requests: this.apiRequests,
      pending: this.state.pendingCount
    }
  }

  exportState(): EmulatorData {
    return this.state.toData()
  }
}

const malformed = Symbol('malformed')

/** JSON.parse that reports failure as a value normalizeKeyRequest rejects, instead of throwing. */
function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return malformed
  }
}
