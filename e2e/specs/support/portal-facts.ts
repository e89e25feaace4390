import type { IssuedKey, RunningEmulator } from '../../../emulator'

/** What the portal itself says about a request: the Dashboard API's embeds, not Keygate's view. */
export interface RequestFacts {
  id: string
  developerEmail: string
  catalogueName: string
  authType: string
}

interface KeyRequestJson {
  _id?: string
  id?: string
  portal_developer?: { email?: string } | null
  catalogue_entry?: { name?: string; auth_type?: string } | null
}

function factsOf(json: KeyRequestJson): RequestFacts {
  const id = json._id ?? json.id
  const developerEmail = json.portal_developer?.email
  const catalogueName = json.catalogue_entry?.name
  if (!id || !developerEmail || !catalogueName) {
    throw new Error(
      `the portal's request lacks an id, email or catalogue entry: ${JSON.stringify(json)}`
    )
  }
  return { id, developerEmail, catalogueName, authType: json.catalogue_entry?.auth_type ?? '' }
}

async function getJson<T>(portal: RunningEmulator, path: string): Promise<T> {
  const response = await fetch(`${portal.url}${path}`, {
    headers: { authorization: portal.secret }
  })
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`)
  return (await response.json()) as T
}

/** The pending requests as the Dashboard API lists them, newest first. */
export async function pendingFacts(portal: RunningEmulator): Promise<RequestFacts[]> {
  const page = await getJson<{ Data: KeyRequestJson[] | null }>(
    portal,
    '/api/portal/requests?p=-1&approved=false'
  )
  return (page.Data ?? []).map(factsOf)
}

/**
 * The credential an approve issued, by the key dialog's field names (emulator/README.md, Approve:
 * OAuth entries answer a client, basic ones `{RawKey: <username>, Password}`, the rest a RawKey).
 */
export function expectedCredential(issued: IssuedKey): Record<string, string> {
  const body = issued.response
  const text = (name: string): string => {
    const value = body[name]
    return typeof value === 'string' ? value : ''
  }
  if (text('client_id')) {
    return {
      clientId: text('client_id'),
      secret: text('secret'),
      ...(text('redirect_uri') ? { redirectUri: text('redirect_uri') } : {}),
      ...(text('policy_id') ? { policyId: text('policy_id') } : {})
    }
  }
  if (text('Password')) return { username: text('RawKey'), password: text('Password') }
  return { rawKey: text('RawKey') }
}
