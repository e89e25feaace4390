import type {
  CatalogueRef,
  Developer,
  DeveloperAccess,
  IssuedCredential,
  Policy,
  Profile,
  RequestDetail,
  RequestStatus,
  ServerCertificate
} from '../../../shared/domain'
import type { Redactor } from '../logging/redactor'
import type { HttpTransport, Logger } from '../ports'
import { AppFailure, type ErrorCode } from '../../../shared/result'

/** Page 1 of a request list: its requests in the Dashboard's order and the Dashboard's `Pages`. */
export interface RequestPage {
  items: RequestDetail[]
  pages: number
}

/**
 * One portal, one secret, in the domain's verbs: list, read one, decide. A portal kind's adapter
 * (`portal-adapter.ts`) builds it and declares what deciding means there (`PortalCapabilities`).
 * Methods throw `AppFailure` (src/shared/result.ts) with a code from docs/architecture.md#ipc; a
 * decision whose outcome is unknown throws code TIMEOUT or OFFLINE with `outcomeUnknown: true` on
 * the `PortalCallFailure` so the outbox reconciles instead of retrying.
 */
export interface PortalClient {
  /** List: every request with that status, across all pages (p=-1, or page by page when refused). */
  listRequests(status: RequestStatus): Promise<RequestDetail[]>
  /**
   * Page 1 (`p=1`) of a list and its page count, for a change probe that costs one page instead
   * of the whole list; its requests are read as `listRequests` reads them. Optional: a client
   * without one (another portal kind, a test double) has its whole list read at every poll.
   */
  firstPage?(status: RequestStatus): Promise<RequestPage>
  /**
   * Read one: the request's state now. Throws NOT_FOUND when the portal no longer has it, which
   * means declined where a decline `deletes`, and removed by someone else where it `rejects`.
   */
  getRequest(requestId: string): Promise<RequestDetail>
  /**
   * Decide, yes. Where approve `returns-credential` (Tyk Classic) the answer is the credential,
   * shown once. A kind whose approve `attaches-credential` to the developer's app has none to
   * answer: its adapter needs this method and the outbox's credential hand-off widened first
   * (docs/architecture.md#portal-seam). Throws CONFLICT when the portal says it was already
   * processed, and INVALID_RESPONSE (outcome known: the request is approved) when the portal
   * withholds the key from the API caller (Classic's secure key approval).
   */
  approve(requestId: string): Promise<IssuedCredential>
  /**
   * Decide, no. Where a decline `deletes` (Tyk Classic: a DELETE) the request is gone after it;
   * where it `rejects` the request stays, marked rejected. Throws NOT_FOUND when already gone.
   */
  decline(requestId: string): Promise<void>
  createRequest(input: {
    developerId: string
    policyIds: string[]
    fields: Record<string, string>
  }): Promise<string>
  listDevelopers(): Promise<Developer[]>
  /**
   * Which policies each developer holds (read from the developers' key maps, key ids dropped).
   * Optional, as `listCatalogue`: without them, no `has-access` / `missing-catalogue` flags.
   */
  listDeveloperAccess?(): Promise<DeveloperAccess[]>
  /** The portal catalogue's entries (`GET /api/portal/catalogue`). */
  listCatalogue?(): Promise<CatalogueRef[]>
  /** Policies by id, cached per client; `refresh` forces a re-read. */
  listPolicies(refresh?: boolean): Promise<Policy[]>
}

export interface PortalClientOptions {
  profile: Pick<Profile, 'id' | 'baseUrl' | 'customCa' | 'pinnedSha256'>
  secret: string
  transport: HttpTransport
  logger?: Logger
  /**
   * The core's redactor: issued credentials are registered with it as they arrive, and the
   * Dashboard's error texts scrubbed by it. Absent (a bare client), one holding `secret` is used.
   */
  redactor?: Pick<Redactor, 'register' | 'scrubText'>
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number
}

/**
 * A failed portal call. `outcomeUnknown` is true when the request may have reached the Dashboard
 * and been applied (timeout or reset after sending): the caller must re-read before any retry.
 */
export class PortalCallFailure extends AppFailure {
  constructor(
    code: ErrorCode,
    message: string,
    retryable: boolean,
    readonly details: {
      status: number | null
      outcomeUnknown: boolean
      retryAfterMs: number | null
      /** A TLS failure's server certificate, for Test connection to show. */
      certificate?: ServerCertificate | null
      /** The answer passed the size limit (`MAX_RESPONSE_BYTES`) and was not read. */
      tooLarge?: boolean
    }
  ) {
    super(code, message, retryable)
    this.name = 'PortalCallFailure'
  }
}
