import type {
  Developer,
  IssuedCredential,
  KeyRequest,
  Policy,
  RequestDetail,
  RequestStatus
} from '../../../shared/domain'
import { testKeyRequest } from '../../../shared/testing/key-request'
import type { ErrorCode } from '../../../shared/result'
import { PortalCallFailure, type PortalClient } from '../portal/portal-client'
import { settle } from './fake-clock'

export type PortalMethod = 'listRequests' | 'getRequest' | 'approve' | 'decline'

export interface PortalCall {
  method: PortalMethod
  requestId: string | null
}

/**
 * - `offline`, `server-error`, `rate-limited`, `auth`, `forbidden`, `bad-request`, `invalid`:
 *   the call fails with that error and changes nothing;
 * - `lost-before-commit`: times out with an unknown outcome, nothing applied;
 * - `lost-after-commit`: applies, then times out with an unknown outcome;
 * - `garbled-after-commit`: applies, then the reply does not parse (INVALID_RESPONSE);
 * - `crash` / `crash-after-commit`: a plain Error (not an AppFailure), before / after applying.
 */
export type FaultKind =
  | 'offline'
  | 'server-error'
  | 'rate-limited'
  | 'auth'
  | 'forbidden'
  | 'bad-request'
  | 'invalid'
  | 'lost-before-commit'
  | 'lost-after-commit'
  | 'garbled-after-commit'
  | 'crash'
  | 'crash-after-commit'

interface PlannedFault {
  method: PortalMethod
  requestId: string | null
  kind: FaultKind
  times: number
}

const failure = (
  code: ErrorCode,
  message: string,
  status: number | null,
  extra: { outcomeUnknown?: boolean; retryAfterMs?: number } = {}
): PortalCallFailure =>
  new PortalCallFailure(
    code,
    message,
    code === 'OFFLINE' || code === 'TIMEOUT' || code === 'SERVER_ERROR' || code === 'RATE_LIMITED',
    {
      status,
      outcomeUnknown: extra.outcomeUnknown ?? false,
      retryAfterMs: extra.retryAfterMs ?? null
    }
  )

const faultErrors: Record<
  Exclude<FaultKind, 'lost-after-commit' | 'garbled-after-commit' | 'crash' | 'crash-after-commit'>,
  () => PortalCallFailure
> = {
  offline: () => failure('OFFLINE', 'Portal unreachable (connection refused).', null),
  'server-error': () => failure('SERVER_ERROR', 'The Dashboard failed (503).', 503),
  'rate-limited': () =>
    failure('RATE_LIMITED', 'The Dashboard asks to slow down (429).', 429, {
      retryAfterMs: 30_000
    }),
  auth: () => failure('AUTH_REJECTED', 'API secret rejected (401): update the profile.', 401),
  forbidden: () => failure('FORBIDDEN', 'This API key may not manage the portal (403).', 403),
  'bad-request': () =>
    failure('BAD_REQUEST', 'The Dashboard refused the request (400): bad policy.', 400),
  invalid: () => failure('INVALID_RESPONSE', 'The Dashboard sent a page Keygate cannot read.', 200),
  'lost-before-commit': () =>
    failure('TIMEOUT', 'Portal unreachable (timed out after 10 s).', null, { outcomeUnknown: true })
}

/** Tracks calls across several portals (one per profile). */
export class CallTracker {
  readonly activeProfiles = new Set<string>()
  maxActiveProfiles = 0
  private readonly counts = new Map<string, number>()

  enter(profileId: string): void {
    this.counts.set(profileId, (this.counts.get(profileId) ?? 0) + 1)
    this.activeProfiles.add(profileId)
    this.maxActiveProfiles = Math.max(this.maxActiveProfiles, this.activeProfiles.size)
  }

  exit(profileId: string): void {
    const left = (this.counts.get(profileId) ?? 1) - 1
    this.counts.set(profileId, left)
    if (left === 0) this.activeProfiles.delete(profileId)
  }
}

let counter = 0

/** A pending request as a client would return it, with `raw` attached; give it to `add`. */
export function testRequestDetail(
  profileId: string,
  overrides: Partial<KeyRequest> & { createdAt?: string | null } = {}
): RequestDetail {
  counter += 1
  const id = overrides.id ?? `req${String(counter).padStart(6, '0')}`
  return {
    ...testKeyRequest(id, {
      profileId,
      createdAt: new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString(),
      developer: { id: `dev-${id}`, email: `dev${counter}@acme.io` },
      policies: [{ id: 'pol1', name: 'Gold' }],
      catalogue: { name: `API ${counter}`, authType: 'authToken', policyId: 'pol1' },
      catalogues: [],
      fields: { reason: 'testing' },
      ...overrides
    }),
    raw: { _id: id, big: 'x'.repeat(200) }
  }
}

/**
 * An in-memory portal behaving like the Dashboard: approve issues a key once (a second approve
 * answers CONFLICT), DELETE removes the request, unknown ids answer NOT_FOUND. It records every
 * call, the calls in flight, and anything the outbox must never do. Requests are seeded by id
 * (a plain generated document) or added whole with `add` (the sync tests' lists).
 */
export class FakePortal implements PortalClient {
  readonly states = new Map<string, 'pending' | 'approved'>()
  readonly calls: PortalCall[] = []
  /** List reads per status. */
  readonly listed: Record<RequestStatus, number> = { pending: 0, approved: 0 }
  readonly approvals = new Map<string, number>()
  deletesOfApproved = 0
  /** Two mutating calls for one request in flight at once. */
  overlaps = 0
  inFlight = 0
  maxInFlight = 0
  /** Runs as each call arrives, before it is served. */
  beforeCall: ((call: PortalCall) => void) | null = null
  private readonly mutating = new Map<string, number>()
  private readonly faults: PlannedFault[] = []
  private readonly gates = new Map<string, { opened: Promise<void>; open: () => void }>()
  private readonly documents = new Map<string, RequestDetail>()

  /**
   * `answerInSameTurn`: calls answer within the caller's turn of the event loop, not a turn
   * later as over a socket; for tests that count polls at fixed times on a fake clock.
   */
  constructor(
    readonly profileId = 'p1',
    seed: { pending?: string[]; approved?: string[] } = {},
    private readonly tracker: CallTracker | null = null,
    private readonly options: { answerInSameTurn?: boolean } = {}
  ) {
    for (const id of seed.pending ?? []) this.states.set(id, 'pending')
    for (const id of seed.approved ?? []) this.states.set(id, 'approved')
  }

  /** Adds requests, or replaces them by id, pending or approved as each says. */
  add(...requests: RequestDetail[]): void {
    for (const request of requests) {
      this.states.set(request.id, request.approved ? 'approved' : 'pending')
      this.documents.set(request.id, request)
    }
  }

  /** Removes a request, as a rival admin's decline would. */
  remove(requestId: string): void {
    this.states.delete(requestId)
    this.documents.delete(requestId)
  }

  /** The next `times` calls of `method` (for `requestId`, or any) fail with `kind`. */
  inject(
    method: PortalMethod,
    kind: FaultKind,
    options: { requestId?: string; times?: number } = {}
  ): void {
    this.faults.push({
      method,
      kind,
      requestId: options.requestId ?? null,
      times: options.times ?? 1
    })
  }

  /** The next call of `method` for `requestId` (null: the list) waits until released. */
  hold(method: PortalMethod, requestId: string | null): () => void {
    let open = (): void => undefined
    const opened = new Promise<void>((resolve) => {
      open = resolve
    })
    this.gates.set(`${method}:${requestId}`, { opened, open })
    return open
  }

  /** Drops every fault not yet served: the portal answers normally again. */
  heal(): void {
    this.faults.length = 0
  }

  count(method: PortalMethod, requestId?: string): number {
    return this.calls.filter(
      (call) => call.method === method && (requestId === undefined || call.requestId === requestId)
    ).length
  }

  listRequests(status: RequestStatus): Promise<RequestDetail[]> {
    this.listed[status] += 1
    return this.serve('listRequests', null, () =>
      [...this.states]
        .filter(([, state]) => state === status)
        .map(([id, state]) => this.detail(id, state))
    )
  }

  getRequest(requestId: string): Promise<RequestDetail> {
    return this.serve('getRequest', requestId, () => {
      const state = this.states.get(requestId)
      if (!state) throw failure('NOT_FOUND', 'Could not retrieve portal object.', 404)
      return this.detail(requestId, state)
    })
  }

  approve(requestId: string): Promise<IssuedCredential> {
    return this.serve('approve', requestId, () => {
      const state = this.states.get(requestId)
      if (!state) throw failure('NOT_FOUND', 'Could not retrieve portal object.', 404)
      if (state === 'approved')
        throw failure('CONFLICT', 'Key request has already been processed.', 400)
      this.states.set(requestId, 'approved')
      this.approvals.set(requestId, (this.approvals.get(requestId) ?? 0) + 1)
      return { kind: 'key', rawKey: `raw-key-${requestId}-secret` }
    })
  }

  decline(requestId: string): Promise<void> {
    return this.serve('decline', requestId, () => {
      const state = this.states.get(requestId)
      if (!state) throw failure('NOT_FOUND', 'Could not retrieve object for deletion', 404)
      if (state === 'approved') this.deletesOfApproved += 1
      this.states.delete(requestId)
    })
  }

  createRequest(): Promise<string> {
    return Promise.reject(new Error('not used by the outbox and sync tests'))
  }

  listDevelopers(): Promise<Developer[]> {
    return Promise.reject(new Error('not used by the outbox and sync tests'))
  }

  listPolicies(): Promise<Policy[]> {
    return Promise.reject(new Error('not used by the outbox and sync tests'))
  }

  private async serve<T>(
    method: PortalMethod,
    requestId: string | null,
    apply: () => T
  ): Promise<T> {
    const call = { method, requestId }
    this.calls.push(call)
    this.beforeCall?.(call)
    const mutates = method === 'approve' || method === 'decline'
    this.inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    this.tracker?.enter(this.profileId)
    if (mutates && requestId) {
      const now = (this.mutating.get(requestId) ?? 0) + 1
      this.mutating.set(requestId, now)
      if (now > 1) this.overlaps += 1
    }
    try {
      if (!this.options.answerInSameTurn) await settle()
      const gate = this.gates.get(`${method}:${requestId}`)
      if (gate) {
        this.gates.delete(`${method}:${requestId}`)
        await gate.opened
      }
      const fault = this.takeFault(method, requestId)
      if (!fault) return apply()
      switch (fault) {
        case 'lost-after-commit':
          apply()
          throw failure('TIMEOUT', 'Portal unreachable (timed out after 10 s).', null, {
            outcomeUnknown: true
          })
        case 'garbled-after-commit':
          apply()
          throw faultErrors.invalid()
        case 'crash':
          throw new Error('socket hang up in a way nobody expected')
        case 'crash-after-commit':
          apply()
          throw new Error('socket hang up in a way nobody expected')
        default:
          throw faultErrors[fault]()
      }
    } finally {
      this.inFlight -= 1
      this.tracker?.exit(this.profileId)
      if (mutates && requestId)
        this.mutating.set(requestId, (this.mutating.get(requestId) ?? 1) - 1)
    }
  }

  private takeFault(method: PortalMethod, requestId: string | null): FaultKind | null {
    const index = this.faults.findIndex(
      (fault) =>
        fault.method === method && (fault.requestId === null || fault.requestId === requestId)
    )
    const fault = this.faults[index]
    if (!fault) return null
    fault.times -= 1
    if (fault.times <= 0) this.faults.splice(index, 1)
    return fault.kind
  }

  private detail(id: string, state: 'pending' | 'approved'): RequestDetail {
    const document = this.documents.get(id)
    if (document) return { ...document, approved: state === 'approved' }
    return {
      ...testKeyRequest(id, {
        profileId: this.profileId,
        approved: state === 'approved',
        createdAt: '2030-01-01T00:00:00Z',
        policies: [],
        catalogue: null,
        catalogues: []
      }),
      raw: {}
    }
  }
}
