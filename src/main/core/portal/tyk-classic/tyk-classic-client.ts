import { z } from 'zod'
import type { CatalogueRef, RequestDetail, RequestStatus } from '../../../../shared/domain'
import { createDashboardHttp } from './dashboard-http'
import { credentialSecrets } from '../credential-secrets'
import { toIssuedCredential } from './issued-credential'
import {
  toCatalogueRef,
  toDeveloper,
  toDeveloperAccess,
  toPolicy,
  toRequestDetail,
  toUnreadableRequest
} from './normalise'
import { createPagedLister, readable, toListEntry, type ListEntry } from './paged-lister'
import { createPolicyDirectory } from './policy-directory'
import { PortalCallFailure, type PortalClient, type PortalClientOptions } from '../portal-client'
import {
  approveResponseSchema,
  catalogueSchema,
  developerSchema,
  keyRequestSchema,
  listEnvelopeSchema,
  type KeyRequestJson,
  policySchema,
  statusEnvelopeSchema
} from './schemas'

const requestsPath = '/api/portal/requests'
const requestPageSchema = listEnvelopeSchema(z.unknown())
const idOf = (json: { id?: string | null; _id?: string | null }) => json.id || json._id || ''
/** Dashboard ids are BSON ObjectIds: 24 hex digits. */
const objectId = /^[0-9a-f]{24}$/i
const gone = (id: string) => `Key request ${id} no longer exists on the Dashboard`

/**
 * The Tyk Classic Portal adapter (`/api/portal/*` on the Dashboard,
 * docs/architecture.md#portal-seam).
 * Every answer is validated; failures throw `PortalCallFailure` with the contract's error codes.
 * Policy names and the paging mode are cached per client, i.e. per profile and secret.
 */
export function createTykClassicClient(options: PortalClientOptions): PortalClient {
  const http = createDashboardHttp(options)
  const lister = createPagedLister(http, options.logger)
  const profileId = options.profile.id
  const policies = createPolicyDirectory(async () => {
    const items = await lister.listAll(
      '/api/portal/policies',
      {},
      policySchema,
      (p) => p._id || p.id || ''
    )
    return readable(items).map(toPolicy)
  }, options.logger)

  /** Each entry as a request; an unreadable one as a row saying what was wrong with it. */
  const toRequests = (entries: ListEntry<KeyRequestJson>[], status: RequestStatus) =>
    entries.map((entry, index) =>
      'value' in entry
        ? toRequestDetail(entry.value, profileId)
        : toUnreadableRequest(entry.unreadable, `unreadable-${index + 1}`, profileId, status)
    )

  const withNames = async (requests: RequestDetail[]): Promise<RequestDetail[]> => {
    await policies.resolve(requests.map((request) => request.policies))
    return requests
  }

  const approvedQuery = (approved: boolean) => ({ approved: String(approved) })

  return {
    async listRequests(status) {
      const entries = await lister.listAll(
        requestsPath,
        approvedQuery(status === 'approved'),
        keyRequestSchema,
        idOf
      )
      return withNames(toRequests(entries, status))
    },

    async firstPage(status) {
      const envelope = await http.send({
        method: 'GET',
        path: requestsPath,
        query: { ...approvedQuery(status === 'approved'), p: 1 },
        schema: requestPageSchema
      })
      const items = toRequests(
        (envelope.Data ?? []).map((raw) => toListEntry(keyRequestSchema, raw)),
        status
      )
      return { items: await withNames(items), pages: envelope.Pages ?? 0 }
    },

    async getRequest(requestId) {
      const json = await http.send({
        method: 'GET',
        path: `${requestsPath}/${encodeURIComponent(requestId)}`,
        schema: keyRequestSchema,
        notFound: gone(requestId)
      })
      const [detail] = await withNames([toRequestDetail(json, profileId)])
      if (detail?.id !== requestId) {
        throw new PortalCallFailure(
          'INVALID_RESPONSE',
          `The Dashboard answered GET ${requestsPath}/${requestId} with request ${detail?.id || '(no id)'}: Keygate shows nothing rather than the wrong request`,
          false,
          { status: 200, outcomeUnknown: false, retryAfterMs: null }
        )
      }
      return detail
    },

    async approve(requestId) {
      const path = `${requestsPath}/approve/${encodeURIComponent(requestId)}`
      const json = await http.send({
        method: 'PUT',
        path,
        schema: approveResponseSchema,
        write: true,
        notFound: gone(requestId)
      })
      const credential = toIssuedCredential(json)
      if (!credential) {
        throw new PortalCallFailure(
          'INVALID_RESPONSE',
          `The Dashboard approved key request ${requestId} but returned no credential (secure key approval sends it to the developer instead)`,
          false,
          { status: 200, outcomeUnknown: false, retryAfterMs: null }
        )
      }
      // Registered the moment it arrives: whatever logs or fails after must not carry it.
      for (const value of credentialSecrets(credential)) options.redactor?.register(value)
      return credential
    },

    async decline(requestId) {
      await http.send({
        method: 'DELETE',
        path: `${requestsPath}/${encodeURIComponent(requestId)}`,
        schema: statusEnvelopeSchema,
        write: true,
        notFound: gone(requestId)
      })
    },

    async createRequest(input) {
      if (input.policyIds.length === 0) {
        throw new PortalCallFailure('VALIDATION', 'Choose at least one policy', false, {
          status: null,
          outcomeUnknown: false,
          retryAfterMs: null
        })
      }
      const envelope = await http.send({
        method: 'POST',
        path: requestsPath,
        // approved:false always: since Dashboard 1.8 `true` stores a request that can never be
        // approved; date_created is ours to fill; for_plan keeps pre-1.9 Dashboards working.
        body: {
          by_user: input.developerId,
          date_created: new Date().toISOString(),
          fields: input.fields,
          apply_policies: input.policyIds,
          for_plan: input.policyIds[0],
          approved: false,
          version: 'v2'
        },
        schema: statusEnvelopeSchema,
        write: true,
        notFound: `Developer ${input.developerId} or a chosen policy no longer exists on the Dashboard`
      })
      // The Dashboard puts the new id in `Message`; any other text there is not an id.
      const id = envelope.ID || (objectId.test(envelope.Message ?? '') ? envelope.Message : '')
      if (!id) {
        throw new PortalCallFailure(
          'INVALID_RESPONSE',
          `The Dashboard sent an unexpected answer to POST ${requestsPath} (no id of the new request${envelope.Message ? `, only "${envelope.Message.slice(0, 200)}"` : ''}): refresh the list to see whether it was created`,
          false,
          { status: 200, outcomeUnknown: false, retryAfterMs: null }
        )
      }
      return id
    },

    async listDevelopers() {
      const entries = await lister.listAll('/api/portal/developers', {}, developerSchema, idOf)
      return readable(entries).map(toDeveloper)
    },

    async listDeveloperAccess() {
      const entries = await lister.listAll('/api/portal/developers', {}, developerSchema, idOf)
      return readable(entries).map(toDeveloperAccess)
    },

    async listCatalogue() {
      const catalogue = await http.send({
        method: 'GET',
        path: '/api/portal/catalogue',
        schema: catalogueSchema
      })
      return (catalogue.apis ?? [])
        .map(toCatalogueRef)
        .filter((entry): entry is CatalogueRef => entry !== null)
    },

    listPolicies(refresh) {
      return policies.list(refresh)
    }
  }
}
