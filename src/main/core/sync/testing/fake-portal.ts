import type { KeyRequest, RequestDetail, RequestStatus } from '../../../../shared/domain'
import { AppFailure, type ErrorCode } from '../../../../shared/result'
import type { PortalClient } from '../../portal/portal-client'

let counter = 0

/** A pending request as a client would return it, with `raw` attached. */
export function makeRequest(
  profileId: string,
  overrides: Partial<KeyRequest> & { createdAt?: string | null } = {}
): RequestDetail {
  counter += 1
  const id = overrides.id ?? `req${String(counter).padStart(6, '0')}`
  return {
    id,
    profileId,
    approved: false,
    createdAt: new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString(),
    developer: { id: `dev-${id}`, email: `dev${counter}@acme.io` },
    policies: [{ id: 'pol1', name: 'Gold' }],
    catalogue: { name: `API ${counter}`, authType: 'authToken', policyId: 'pol1' },
    catalogues: [],
    fields: { reason: 'testing' },
    details: {
      kind: 'tyk-classic',
      legacy: false,
      version: 'v2',
      forApi: null,
      oauthRedirectUri: null
    },
    queued: null,
    ...overrides,
    raw: { _id: id, big: 'x'.repeat(200) }
  }
}

/**
 * A PortalClient whose list answers are scripted: a fixed list per status, a failure code, or
 * held until the test releases them (to keep a poll in flight). Counts calls and overlaps.
 */
export class FakePortal {
  readonly lists: Record<RequestStatus, RequestDetail[]> = { pending: [], approved: [] }
  failure: ErrorCode | null = null
  calls: Record<RequestStatus, number> = { pending: 0, approved: 0 }
  inFlight = 0
  maxInFlight = 0
  private gate: { promise: Promise<void>; open: () => void } | null = null

  constructor(readonly profileId: string) {}

  /** Holds every list call until `release()`. */
  hold(): void {
    let open = () => {}
    const promise = new Promise<void>((resolve) => (open = resolve))
    this.gate = { promise, open }
  }

  release(): void {
    this.gate?.open()
    this.gate = null
  }

  client(): PortalClient {
    const list = async (status: RequestStatus): Promise<RequestDetail[]> => {
      this.calls[status] += 1
      this.inFlight += 1
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
      try {
        if (this.gate) await this.gate.promise
        if (this.failure) throw new AppFailure(this.failure, `Scripted ${this.failure}`, true)
        return this.lists[status].map((item) => ({ ...item }))
      } finally {
        this.inFlight -= 1
      }
    }
    const unused = (): never => {
      throw new Error('not used by sync')
    }
    return {
      listRequests: list,
      getRequest: unused,
      approve: unused,
      decline: unused,
      createRequest: unused,
      listDevelopers: unused,
      listPolicies: unused
    }
  }
}
