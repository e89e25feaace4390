import { z } from 'zod'
import { appErrorSchema } from './result'

/** Portal kinds Keygate can talk to; `tyk-edp` is reserved for the Enterprise Developer Portal. */
export const portalKinds = ['tyk-classic'] as const
export type PortalKind = (typeof portalKinds)[number]
/** The kind of a new profile, and of one saved before profiles had a kind. */
export const defaultPortalKind: PortalKind = 'tyk-classic'

export const secretStorages = ['keychain', 'session'] as const
export type SecretStorage = (typeof secretStorages)[number]

/** Hours after which a pending request is late (amber) and overdue (red), unless a profile says. */
export const DEFAULT_SLA = { warnHours: 24, breachHours: 72 } as const

/** A saved portal profile. The API secret is never part of it: it lives in the OS keychain. */
export const profileSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(portalKinds),
  baseUrl: z.string(),
  /** PEM bundle trusted in addition to the system roots, for private CAs. */
  customCa: z.string().nullable(),
  /**
   * SHA-256 fingerprint of the one certificate this profile accepts, confirmed by the admin after
   * Test connection showed it (trust on first use); null verifies the chain as usual.
   */
  pinnedSha256: z.string().nullable().default(null),
  /** Saved with the retired "allow self-signed" switch: its certificate must be confirmed again. */
  reconfirmCertificate: z.boolean().default(false),
  /** Plain http:// to a host other than this machine: only when the admin opted in. */
  allowHttp: z.boolean().default(false),
  pollIntervalSec: z.number().int(),
  notifications: z.boolean(),
  /** Age colours: a pending request turns amber after `slaWarnHours`, red after `slaBreachHours`. */
  slaWarnHours: z.number().int().positive().default(DEFAULT_SLA.warnHours),
  slaBreachHours: z.number().int().positive().default(DEFAULT_SLA.breachHours),
  secretStorage: z.enum(secretStorages),
  /** True for the built-in demo portal (the emulator started in-process). */
  demo: z.boolean(),
  createdAt: z.string()
})
export type Profile = z.infer<typeof profileSchema>

export const connectivityStates = [
  'unknown',
  'online',
  'offline',
  'auth-problem',
  'degraded'
] as const
export type ConnectivityState = (typeof connectivityStates)[number]

export const connectivitySchema = z.object({
  state: z.enum(connectivityStates),
  since: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: appErrorSchema.nullable()
})
export type Connectivity = z.infer<typeof connectivitySchema>

/**
 * What a portal kind's verbs mean, for the outbox's rules and the words users read
 * (docs/architecture.md#portal-seam); the renderer reads them from `ProfileSummary`.
 */
export interface PortalCapabilities {
  /**
   * `deletes`: a declined request is gone, and "gone" reads as declined (Tyk Classic's DELETE).
   * `rejects`: it stays on the portal, marked rejected.
   */
  decline: 'deletes' | 'rejects'
  /**
   * `returns-credential`: the approve answer carries the key, shown once. `attaches-credential`:
   * the portal attaches it to the developer's app, and the approve answer carries none.
   */
  approve: 'returns-credential' | 'attaches-credential'
  /** How the portal spells request ids (they always cross Keygate as strings). */
  idType: 'string' | 'integer'
}

export interface ProfileSummary extends Profile {
  /** What approve and decline do on this profile's kind of portal, for the words the UI uses. */
  capabilities: PortalCapabilities
  hasSecret: boolean
  pendingCount: number | null
  connectivity: Connectivity
}

export interface PolicyRef {
  id: string
  /** null until resolved, or when the policy no longer exists on the Dashboard. */
  name: string | null
}

export interface CatalogueRef {
  name: string
  authType: string | null
  policyId: string | null
}

/**
 * Something an admin should know before deciding a request, computed by the core from the portal's
 * lists: `duplicate` (same developer, same policies, another pending request), `has-access` (the
 * developer already holds a key for that policy), `missing-policy` / `missing-catalogue` (no longer
 * on the portal: it cannot be approved), `legacy` (a `for_plan` request from before Dashboard 1.9).
 */
export type RequestFlagKind =
  'duplicate' | 'has-access' | 'missing-policy' | 'missing-catalogue' | 'legacy'

export interface RequestFlag {
  kind: RequestFlagKind
  /** One line for the list's tooltip and the bulk confirmation, e.g. "Also requested on 2 Dec". */
  text: string
}

export const outboxStates = [
  'queued',
  'sending',
  'done',
  'conflict',
  'failed',
  'needs-auth',
  'cancelled'
] as const
export type OutboxState = (typeof outboxStates)[number]
export type ActionKind = 'approve' | 'decline'

/** The parts of a Tyk Classic key request no other portal kind has. */
export interface TykClassicRequestDetails {
  kind: 'tyk-classic'
  /** Only `for_plan`, no `apply_policies`: made before Dashboard 1.9. */
  legacy: boolean
  version: string | null
  forApi: string | null
  oauthRedirectUri: string | null
}

/** A request's kind-specific part, tagged with the portal kind it came from. */
export type KeyRequestDetails = TykClassicRequestDetails

/** A key request as Keygate shows it, normalised from whatever shape the Dashboard returned. */
export interface KeyRequest {
  /** The Dashboard's id; `unreadable-<position>` for an unreadable request that carried none. */
  id: string
  profileId: string
  approved: boolean
  /** RFC 3339 from `date_created`; null when the portal sent none. */
  createdAt: string | null
  developer: { id: string; email: string | null }
  policies: PolicyRef[]
  catalogue: CatalogueRef | null
  catalogues: CatalogueRef[]
  fields: Record<string, string>
  /**
   * Set when the Dashboard's entry could not be read (what was wrong with it): the request is
   * listed so it is not silently missing, but nothing can be done to it from Keygate.
   */
  unreadable?: string
  /** What only this kind of portal's requests carry. */
  details: KeyRequestDetails
  /** What to know before deciding; empty when nothing stands out. */
  flags?: RequestFlag[]
  /** An outbox action waiting for this request, overlaid on cached and live lists. */
  queued: { opId: string; kind: ActionKind; state: OutboxState } | null
}

export interface RequestDetail extends KeyRequest {
  /** The Dashboard's own JSON for this request, for the detail pane's "everything it carries". */
  raw: Record<string, unknown>
  /** What the developer already holds; absent when the developers could not be read. */
  subscriptions?: Subscription[]
}

export type RequestStatus = 'pending' | 'approved'

export interface ListSource {
  profileId: string
  status: RequestStatus
  /** When the whole list was last read successfully (a page-1 probe does not move it); null if never. */
  fetchedAt: string | null
  /** True when showing a cached list because the last fetch failed or has not happened yet. */
  stale: boolean
  error: z.infer<typeof appErrorSchema> | null
}

export interface RequestListView {
  items: KeyRequest[]
  sources: ListSource[]
}

export interface Developer {
  id: string
  email: string | null
  createdAt: string | null
  inactive: boolean
  fields: Record<string, string>
}

/** The policies a developer already holds a key for (never the keys themselves). */
export interface DeveloperAccess {
  developerId: string
  policyIds: string[]
}

/**
 * A policy the developer already holds, for the detail pane: `since` is when the approved
 * request that gave it was made, when Keygate has read that request; null otherwise.
 */
export interface Subscription {
  policyId: string
  policyName: string | null
  since: string | null
}

export interface Policy {
  id: string
  name: string
  active: boolean
  authType: string | null
}

/** A credential the portal issued on approval. Shown once; held only in main-process memory. */
export type IssuedCredential =
  | { kind: 'key'; rawKey: string }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth'
      clientId: string
      secret: string
      policyId: string | null
      redirectUri: string | null
    }

/** The parts of an issued credential the key dialog shows and Copy can put on the clipboard. */
export const credentialFields = [
  'rawKey',
  'username',
  'password',
  'clientId',
  'secret',
  'redirectUri',
  'policyId'
] as const
export type CredentialField = (typeof credentialFields)[number]

/** What `keys:copy` did: the clipboard is cleared after this long if it still holds the value. */
export interface CopyReceipt {
  clearAfterSec: number
}

/**
 * Tells the renderer a credential is ready to reveal, without carrying it. `expired`: it was not
 * revealed in time and main has dropped it, so only the notice is left.
 */
export interface KeyNotice {
  id: string
  profileId: string
  requestId: string
  developerEmail: string | null
  catalogueName: string | null
  issuedAt: string
  status: 'ready' | 'expired'
}

export type ConflictReason = 'approved-elsewhere' | 'removed-elsewhere'

/**
 * Why an outbox item settled the way it did when its own call's reply did not decide it:
 * a conflict, a decline that found the request gone, an approve the Dashboard applied whose
 * reply (and so the key) was lost, an approve whose outcome was unknown when the request
 * disappeared (`removed-outcome-unknown`: a key may exist that nobody saw), or an action
 * cancelled with its profile while an earlier call's outcome was still unknown
 * (`cancelled-outcome-unknown`: it may have taken effect).
 */
export const outboxResolutionReasons = [
  'approved-elsewhere',
  'removed-elsewhere',
  'already-removed',
  'response-lost',
  'removed-outcome-unknown',
  'cancelled-outcome-unknown'
] as const
export type OutboxResolutionReason = (typeof outboxResolutionReasons)[number]

export interface OutboxItem {
  opId: string
  profileId: string
  requestId: string
  kind: ActionKind
  reason: string | null
  createdAt: string
  updatedAt: string
  attempts: number
  state: OutboxState
  lastError: z.infer<typeof appErrorSchema> | null
  /**
   * Set when state is `conflict`; `done` because a decline found the request already gone
   * (`already-removed`) or an approve was applied but its reply was lost (`response-lost`); or
   * `cancelled` with its profile before an earlier call's outcome was known.
   */
  resolution: { reason: OutboxResolutionReason; at: string } | null
  /** Labels captured when queued, so the outbox reads well even when the request is gone. */
  label: { developerEmail: string | null; catalogueName: string | null }
  /** Earliest time the next attempt may start (backoff); null when not waiting. */
  nextAttemptAt: string | null
  /** End of the Undo window it was queued with (ISO): nothing is sent before it; null if none. */
  sendAfter: string | null
}

export interface ActionOutcome {
  opId: string
  state: OutboxState
  /** Present when an approval issued a credential; reveal it with `keys:reveal`. */
  keyId: string | null
  message: string
}

/** What a request of a bulk decision (or an Undo) was refused for; nothing was queued for it. */
export interface RefRefusal {
  profileId: string
  requestId: string
  message: string
}

/**
 * What `requests:decideMany` queued: one outbox action per accepted request, all held until
 * `sendAfter` (the undo window; null when there is none). Outcomes arrive as `outbox:changed`.
 */
export interface DecideManyResult {
  accepted: { profileId: string; requestId: string; opId: string }[]
  refused: RefRefusal[]
  sendAfter: string | null
}

/** What `requests:undo` cancelled; a request whose action was already sent is refused. */
export interface UndoResult {
  cancelled: number
  refused: RefRefusal[]
}

/** App-wide settings kept by the core (the `settings` store). */
export interface AppSettings {
  /** How long a decision waits before it is sent, so it can be undone; 0 to 30. */
  undoSeconds: number
}

/** What `keys:export` did: nothing is written unless the admin chose a file. */
export type KeysExportResult = { saved: true; path: string; count: number } | { saved: false }

/** Local record of a decision; the Dashboard keeps none for declines. */
export interface DecisionLogEntry {
  opId: string
  profileId: string
  requestId: string
  kind: ActionKind
  reason: string | null
  by: string
  decidedAt: string
  outcome: OutboxState
  developerEmail: string | null
  /** Policy names (ids where no name was known) of the request, as listed when decided. */
  policyNames?: string[]
  /** The catalogue entry (the API as the portal presents it), as listed when decided. */
  catalogueName?: string | null
  /** The API id of a legacy per-API request. */
  forApi?: string | null
  /**
   * Why the action ended as it did, when its own call's reply did not say (the outbox item's
   * `resolution`); absent when it did, and in entries written before it was kept.
   */
  resolution?: OutboxItem['resolution']
  /** Set when the portal's profile was deleted: the log stays, marked with the portal it was. */
  portalRemoved?: { name: string; at: string }
}

/**
 * A portal whose profile was deleted while its decision log was kept (`decisions:removedPortals`):
 * its decisions stay listed and exportable under this id and name.
 */
export interface RemovedPortal {
  profileId: string
  /** The profile's name when it was deleted. */
  name: string
  removedAt: string
}

/**
 * What `profiles:delete` did. Not deleted while the profile has actions still to send (`queued`
 * counts queued, sending and needs-auth) or `failed` ones: the user chooses to send or cancel.
 */
export interface ProfileDeleteResult {
  deleted: boolean
  queued: number
  failed: number
  /** Of those, how many may already have reached the Dashboard (an earlier call's outcome unknown). */
  uncertain: number
}

export const exportKinds = ['decisions', 'pending'] as const
export type ExportKind = (typeof exportKinds)[number]
export const exportFormats = ['csv', 'json'] as const
export type ExportFormat = (typeof exportFormats)[number]

/** What `export:save` did: `saved` false when the admin cancelled the save dialog. */
export interface ExportResult {
  saved: boolean
  path: string | null
  rows: number
}

export type ConnectionCheckName = 'reach' | 'tls' | 'auth' | 'permission' | 'write' | 'policies'

/** A Dashboard's TLS certificate as Test connection shows it, for the admin to confirm. */
export interface ServerCertificate {
  /** SHA-256 fingerprint, upper-case hex pairs joined by colons. */
  sha256: string
  subject: string
  issuer: string
  validTo: string
  /** The fingerprint the profile pinned, when the server now presents another certificate. */
  changedFrom: string | null
}

export interface ConnectionTest {
  /** When the certificate could not be trusted: the one the server presented. */
  certificate?: ServerCertificate
  ok: boolean
  /** A failed check with `warning` does not fail the test (e.g. plain http on this machine). */
  checks: { name: ConnectionCheckName; ok: boolean; message: string; warning?: boolean }[]
  latencyMs: number | null
  pendingCount: number | null
}

export interface AppInfo {
  version: string
  platform: string
  keychain: { available: boolean; message: string | null }
}
