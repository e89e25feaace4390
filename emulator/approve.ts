import { issueCredential, recordedKeyId, type HexSource } from './credentials'
import { messages } from './envelopes'
import { isObject, requestedPolicies, stringField } from './shapes'
import type { DeveloperRecord, PortalState, RequestRecord } from './state'
import type { EmulatorSwitches, IssuedKey, JsonObject } from './types'

export type ApproveResult =
  | { ok: true; status: 200; body: JsonObject; key: IssuedKey; record: RequestRecord }
  | { ok: false; status: number; body: JsonObject | null }

interface ApproveContext {
  state: PortalState
  switches: EmulatorSwitches
  hex: HexSource
  now: () => string
}

const objectIdPattern = /^[0-9a-f]{24}$/i

/**
 * `PUT /api/portal/requests/approve/{id}` (README, Approve): checks, issues the credential per the
 * catalogue entry's auth type, records it on the developer and marks the request approved.
 */
export function approveRequest(ctx: ApproveContext, id: string): ApproveResult {
  const { state, switches } = ctx
  const error = (status: number, message: string): ApproveResult => ({
    ok: false,
    status,
    body: { Status: 'Error', Message: message, Meta: switches.meta === 'null' ? null : '' }
  })
  if (switches.strictIds && !objectIdPattern.test(id)) {
    return error(400, 'Invalid key request ID.')
  }
  const record = state.getRequest(id)
  if (!record) {
    return switches.approveUnknownId === 'empty-500'
      ? { ok: false, status: 500, body: null }
      : error(404, messages.notFound)
  }
  if (record.approved && switches.guardDoubleApprove) return error(400, messages.alreadyProcessed)

  const policies = requestedPolicies(record.doc)
  const policyMissing = policies.length === 0 || policies.some((p) => !state.getPolicy(p))
  if (policyMissing && switches.approveMissingPolicy === 'reject') {
    return error(400, messages.noPolicy)
  }
  const developerId = stringField(record.doc, 'by_user')
  const developer = state.getDeveloper(developerId)
  if (!developer && switches.approveMissingDeveloper === 'reject') {
    return error(404, messages.notFound)
  }

  const issuedAt = ctx.now()
  const existing = existingKey(ctx, record.doc)
  const key = existing
    ? updateExistingKey(ctx, existing, record, developer, policies, issuedAt)
    : issueNewKey(ctx, record, developer, policies, issuedAt)
  if (developer) state.touchDeveloper(developer)
  state.replaceRequest(record, { ...record.doc, approved: true })
  state.recordKey(key)
  return { ok: true, status: 200, body: key.response, key, record }
}

function existingKey(ctx: ApproveContext, doc: JsonObject): IssuedKey | undefined {
  const token = stringField(doc, 'key')
  if (token === '' || ctx.switches.existingKeyApproval !== 'update-existing') return undefined
  const key = ctx.state.keyByToken(token)
  return key && !key.revoked ? key : undefined
}

function authTypeFor(state: PortalState, policies: string[]): string {
  const entry = state.entriesFor(policies)[0]
  const fromEntry = entry ? stringField(entry, 'auth_type') : ''
  if (fromEntry) return fromEntry
  const policy = policies.map((p) => state.getPolicy(p)).find((p) => p !== undefined)
  return (policy && stringField(policy.doc, 'auth_type')) || 'authToken'
}

function issueNewKey(
  ctx: ApproveContext,
  record: RequestRecord,
  developer: DeveloperRecord | undefined,
  policies: string[],
  issuedAt: string
): IssuedKey {
  const { state, switches } = ctx
  const doc = record.doc
  const authType = authTypeFor(state, policies)
  const oauthInfo = doc.oauth_info
  const credential = issueCredential(
    {
      authType,
      orgId: state.orgId,
      developerEmail: developer ? stringField(developer.doc, 'email') : '',
      policyIds: policies,
      redirectUri: isObject(oauthInfo) ? stringField(oauthInfo, 'redirect_uri') : '',
      switches
    },
    ctx.hex
  )
  let keyId: string
  if (credential.token !== null) {
    keyId = recordedKeyId(credential.token, switches.hashKeys)
    if (developer) recordKeyOnDeveloper(developer.doc, keyId, policies)
  } else {
    keyId = String(credential.response.client_id)
    if (developer) recordOAuthClient(developer.doc, doc, credential.response, issuedAt)
  }
  return {
    requestId: record.id,
    developerId: stringField(doc, 'by_user'),
    authType,
    policies,
    keyId,
    response: credential.response,
    issuedAt,
    updatedExisting: false,
    revoked: false
  }
}

/** "Edit APIs associated with a single Key Request" (Dashboard 1.9.4): the key gets new policies. */
function updateExistingKey(
  ctx: ApproveContext,
  existing: IssuedKey,
  record: RequestRecord,
  developer: DeveloperRecord | undefined,
  policies: string[],
  issuedAt: string
): IssuedKey {
  const removed = new Set(
    Array.isArray(record.doc.remove_policies) ? record.doc.remove_policies : []
  )
  const merged = [...new Set([...existing.policies, ...policies])].filter((p) => !removed.has(p))
  existing.policies = merged
  if (developer) {
    recordKeyOnDeveloper(developer.doc, existing.keyId, merged)
    const subscriptions = developer.doc.subscriptions
    if (isObject(subscriptions)) {
      for (const policy of removed) {
        if (typeof policy === 'string' && subscriptions[policy] === existing.keyId) {
          delete subscriptions[policy]
        }
      }
    }
  }
  return {
    requestId: record.id,
    developerId: stringField(record.doc, 'by_user'),
    authType: existing.authType,
    policies: merged,
    keyId: existing.keyId,
    response: { RawKey: stringField(record.doc, 'key'), Password: '' },
    issuedAt,
    updatedExisting: true,
    revoked: false
  }
}

function recordKeyOnDeveloper(dev: JsonObject, keyId: string, policies: string[]): void {
  const keys = isObject(dev.keys) ? dev.keys : {}
  keys[keyId] = [...policies]
  dev.keys = keys
  const subscriptions = isObject(dev.subscriptions) ? dev.subscriptions : {}
  for (const policy of policies) subscriptions[policy] = keyId
  dev.subscriptions = subscriptions
}

function recordOAuthClient(
  dev: JsonObject,
  request: JsonObject,
  response: JsonObject,
  issuedAt: string
): void {
  const clients = isObject(dev.oauth_clients) ? dev.oauth_clients : {}
  const policyId = String(response.policy_id)
  const list = Array.isArray(clients[policyId]) ? (clients[policyId] as unknown[]) : []
  const fields = isObject(request.fields) ? request.fields : {}
  list.push({
    client_id: response.client_id,
    secret: response.secret,
    redirect_uri: response.redirect_uri,
    app_description: stringField(fields, 'oauth_app_description'),
    use_case: stringField(fields, 'oauth_use_case'),
    date_created: issuedAt
  })
  clients[policyId] = list
  dev.oauth_clients = clients
}

/** Removes a revoked key from its developer (deleteRevokesKey). */
export function revokeKey(state: PortalState, key: IssuedKey): void {
  key.revoked = true
  const developer = state.getDeveloper(key.developerId)
  if (!developer) return
  const doc = developer.doc
  if (isObject(doc.keys)) delete doc.keys[key.keyId]
  if (isObject(doc.subscriptions)) {
    for (const [policy, keyId] of Object.entries(doc.subscriptions)) {
      if (keyId === key.keyId) delete doc.subscriptions[policy]
    }
  }
  if (isObject(doc.oauth_clients)) {
    for (const [policy, list] of Object.entries(doc.oauth_clients)) {
      if (!Array.isArray(list)) continue
      doc.oauth_clients[policy] = list.filter(
        (client) => !(isObject(client) && client.client_id === key.keyId)
      )
    }
  }
  state.touchDeveloper(developer)
}
