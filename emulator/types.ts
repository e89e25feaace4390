/** Public types of the Tyk Dashboard (Classic Portal) emulator. See emulator/README.md. */

export interface EmulatorOptions {
  /** Default 0: a free port. */
  port?: number
  /** Default '127.0.0.1'. */
  host?: string
  /** API key of the admin Dashboard user (portal write, policy read). Also guards the control API. */
  secret: string
  /** A second user with read access only: writes answer 403 `access denied: ...`. */
  readOnlySecret?: string
  /** PRNG seed of the generated data; default 1. */
  seed?: number
  /** Seeded pending key requests; default 25. */
  seedPending?: number
  /** Seeded approved key requests; default 10. */
  seedApproved?: number
  /** Anchor (epoch ms) of the seeded dates, which spread over the 30 days before it; default now. */
  seedNow?: number
  /** Load this state JSON (the shape GET /__emulator/state returns) instead of seeding. */
  dataFile?: string
  /** Serve https with this PEM key and certificate (both listeners). */
  tls?: { key: string; cert: string }
  /** Receives `key_request_event.*` webhooks (the org's event_options.key_request_event.webhook). */
  webhookUrl?: string
  /** Port of the always-on control listener; default 0 = a free port. */
  controlPort?: number
  switches?: Partial<EmulatorSwitches>
}

/**
 * Behaviour the vendor does not document: each switch is a guess with the most likely default
 * (README, Switches).
 */
export interface EmulatorSwitches {
  /** Dashboard `page_size`. */
  pageSize: number
  /** What `p=0` and an absent `p` return. */
  pZero: 'all' | 'first-page'
  /** `Pages` when every item is returned at once (p<0, or p=0 with pZero 'all'). */
  pagesWhenAll: 'ceil' | 'zero'
  /** Order of every list, by `date_created`. */
  sortOrder: 'newest-first' | 'oldest-first'
  /** A non-integer `p` answers 400 instead of being read as 0. */
  strictPageParam: boolean
  /** `Meta` in status envelopes. */
  meta: 'null' | 'empty-string'
  /** An empty page's `Data`, and an empty `catalogues`, as `[]` or Go's nil-slice `null`. */
  emptyData: 'array' | 'null'
  /** RawKey of authToken/jwt/hmac keys: org id + 32 hex, or base64 of {"org","id","h":"murmur64"}. */
  rawKeyFormat: 'legacy' | 'base64-json'
  /** Developer `keys`/`subscriptions` use the key's murmur hash instead of the raw key. */
  hashKeys: boolean
  /** A second approve answers 400 `Key request has already been processed.`; off issues a second key. */
  guardDoubleApprove: boolean
  /** The portal configuration's `secure_key_approval`. */
  secureKeyApproval: boolean
  /** Approve body while secureKeyApproval is on: the key as usual, or an empty RawKey. */
  secureKeyResponse: 'raw-key' | 'no-key'
  /** hmac entries also return the HMAC secret as `hmac_string`. */
  hmacReturnsSecret: boolean
  /** Also accept `authorization: Bearer <secret>`. */
  acceptBearer: boolean
  /** Webhook event sent on approve; '' sends none. */
  approveEventName: string
  /** Extra webhook delivery attempts after a failure. */
  webhookRetries: number
  /** Approve when `by_user` no longer exists: 404 `Could not retrieve portal object.`, or issue anyway. */
  approveMissingDeveloper: 'reject' | 'allow'
  /** Approve when a policy no longer exists: 400 `No policy found!`, or issue anyway. */
  approveMissingPolicy: 'reject' | 'allow'
  /** Approve of an unknown id: 404 `Could not retrieve portal object.`, or a bodyless 500. */
  approveUnknownId: 'not-found' | 'empty-500'
  /** Ids that are not 24 hex answer 400 `Invalid ... ID.` instead of being looked up. */
  strictIds: boolean
  /** POST /api/portal/requests with an unknown policy answers 400 `No policy found!`. */
  createValidatesPolicy: boolean
  /** `Message` of a successful PUT /api/portal/requests/{id}. */
  updateMessage: 'id' | 'data-updated'
  /** Approving a request whose `key` names a key issued earlier: change that key, or issue a new one. */
  existingKeyApproval: 'update-existing' | 'issue-new'
  /** DELETE of an approved request also revokes its key(s) on the developer. */
  deleteRevokesKey: boolean
  /** The admin user's `policy` permission; 'none' makes /api/portal/policies answer 403. */
  policyAccess: 'read' | 'none'
  /** A policy's `id` (the path id is always `_id`): '' as in most samples, or a copy of `_id`. */
  policyIdField: 'empty' | 'mirror'
}

/** The methods the Dashboard API answers. */
export type FaultMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface EmulatorFaults {
  /** Added before an /api request is handled. */
  latencyMs: number
  /** Random extra latency, uniform in [0, jitterMs). */
  jitterMs: number
  /** Share of /api requests answered `errorStatus` with the Dashboard's error envelope. */
  errorRate: number
  errorStatus: number
  /** HTTP methods the injected errors (errorRate, errorAfterCommitRate) apply to; default all. */
  errorMethods: FaultMethod[]
  /** Seconds sent as `Retry-After` on injected errors; 0 sends none. */
  retryAfterSec: number
  /** Share of /api requests whose socket is destroyed before anything is applied. */
  dropRate: number
  /** Share of /api requests applied, then answered by destroying the socket (outcome unknown). */
  dropAfterCommitRate: number
  /** Share of /api requests applied, then answered `errorStatus` (a write that lands but fails late). */
  errorAfterCommitRate: number
  /** The API listener is closed: connections are refused until this is turned off. */
  offline: boolean
  /** Every /api request answers 401 `Not authorised`. */
  authFail: boolean
  /**
   * What an injected error's `Message` echoes, as a Dashboard that puts its input or output in
   * error texts: nothing; the request's `authorization` header and body (nothing applied); or
   * the answer it had made (the request is applied first, e.g. an approve's issued key).
   */
  errorEcho: 'none' | 'request' | 'answer'
}

export interface EmulatorStats {
  /** Credentials issued per request id (a second approve without the guard counts 2). */
  approvals: Record<string, number>
  /** Successful DELETEs per request id. */
  deletes: Record<string, number>
  /** DELETEs that removed an approved request. */
  deletesOfApproved: number
  /** /api requests received (faulted ones included) while online. */
  requests: number
  /** Pending requests now. */
  pending: number
}

/** A credential the emulator issued, as the approve call answered it. */
export interface IssuedKey {
  requestId: string
  developerId: string
  authType: string
  policies: string[]
  /** The id recorded in the developer's `keys`/`subscriptions` (a murmur hash when hashKeys). */
  keyId: string
  /** The approve response body. */
  response: Record<string, unknown>
  issuedAt: string
  /** True when the approve changed an existing key (`key` set on the request) instead of issuing one. */
  updatedExisting: boolean
  revoked: boolean
}

/** What an approve answered: the HTTP status and body (null for a bodyless answer). */
export interface ApproveOutcome {
  status: number
  body: Record<string, unknown> | null
}

export interface EmulatorControl {
  setFaults(f: Partial<EmulatorFaults>): void
  clearFaults(): void
  faults(): EmulatorFaults
  setSwitches(s: Partial<EmulatorSwitches>): void
  switches(): EmulatorSwitches
  /** Back to the seeded (or loaded) state, stats zeroed; faults and switches are kept. */
  reset(): void
  /** Stores key request documents as given (an id is added only when they carry none). */
  insertRequests(docs: Record<string, unknown>[]): string[]
  /** New pending requests from seeded developers and policies, each newer than any before. */
  generatePending(count: number): string[]
  /** A rival admin approving on the Dashboard: bypasses faults, counts in stats. */
  approveDirectly(id: string): ApproveOutcome
  /** A rival admin deleting on the Dashboard: bypasses faults, counts in stats. */
  deleteDirectly(id: string): boolean
  /** Removes a policy, as an admin with policy rights would (approvals then fail `No policy found!`). */
  deletePolicy(id: string): boolean
  /** Removes a developer (approvals of their requests then fail). */
  deleteDeveloper(id: string): boolean
  /** Removes the policy's catalogue entries (its requests then embed none; approvals still work). */
  deleteCatalogueEntry(policyId: string): boolean
  getRequest(id: string): Record<string, unknown> | null
  requestIds(filter?: { approved?: boolean }): string[]
  issuedKeys(id: string): IssuedKey[]
  stats(): EmulatorStats
  /** The whole state in the --data file format. */
  exportState(): EmulatorData
}

export interface RunningEmulator {
  url: string
  port: number
  /** Always-on control listener, e.g. `http://127.0.0.1:41234/__emulator` (also up while offline). */
  controlUrl: string
  secret: string
  control: EmulatorControl
  close(): Promise<void>
}

export type JsonObject = Record<string, unknown>

/** The state file (`--data`) and GET /__emulator/state format. */
export interface EmulatorData {
  orgId: string
  policies: JsonObject[]
  catalogue: JsonObject
  configuration: JsonObject
  developers: JsonObject[]
  requests: JsonObject[]
  keys: IssuedKey[]
}
