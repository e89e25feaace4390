import type { ConnectionCheckName, ConnectionTest } from '../../../../shared/domain'
import { createDashboardHttp } from './dashboard-http'
import { PortalCallFailure, type PortalClient, type PortalClientOptions } from '../portal-client'
import { keyRequestSchema, listEnvelopeSchema } from './schemas'
import { createTykClassicClient } from './tyk-classic-client'
import { checkWritePermission } from './write-permission-check'

type Check = ConnectionTest['checks'][number]

const check = (name: ConnectionCheckName, ok: boolean, message: string): Check => ({
  name,
  ok,
  message
})
const warning = (name: ConnectionCheckName, message: string): Check => ({
  name,
  ok: false,
  message,
  warning: true
})

const codeOf = (error: unknown) =>
  error instanceof PortalCallFailure ? error.error.code : 'INTERNAL'
const messageOf = (error: unknown) =>
  error instanceof PortalCallFailure ? error.message : 'Calling the Dashboard failed unexpectedly'

function tlsCheck(options: PortalClientOptions): Check {
  const { profile } = options
  if (!profile.baseUrl.toLowerCase().startsWith('https:')) {
    return warning(
      'tls',
      'Plain http://: not encrypted, so the API key and issued keys cross the network readable'
    )
  }
  if (profile.pinnedSha256) {
    return check(
      'tls',
      true,
      `Certificate is the one you confirmed (SHA-256 ${profile.pinnedSha256}), valid for this host`
    )
  }
  const by = profile.customCa ? "the profile's CA" : 'the system trust store'
  return check('tls', true, `Certificate verified against ${by}`)
}

/** Checks that come after a failed first call: which passed, which one failed and why. */
function checksForFailure(error: unknown, options: PortalClientOptions, host: string): Check[] {
  const reached = check('reach', true, `Reached ${host}`)
  const message = messageOf(error)
  switch (codeOf(error)) {
    case 'TLS':
      return [reached, check('tls', false, message)]
    case 'AUTH_REJECTED':
      return [reached, tlsCheck(options), check('auth', false, message)]
    case 'FORBIDDEN':
      return [
        reached,
        tlsCheck(options),
        check('auth', true, 'API secret accepted'),
        check('permission', false, message)
      ]
    case 'NOT_FOUND':
    case 'INVALID_RESPONSE':
      return [
        check(
          'reach',
          false,
          `${host} answered, but not as a Tyk Dashboard API (${message}): check the Dashboard URL (the Dashboard, not the Gateway or the portal site)`
        )
      ]
    default:
      return [check('reach', false, message)]
  }
}

async function countPending(
  firstPage: { Data?: unknown[] | null; Pages?: number | null },
  client: PortalClient
): Promise<number | null> {
  const items = firstPage.Data ?? []
  if ((firstPage.Pages ?? 0) <= 1) return items.length
  try {
    return (await client.listRequests('pending')).length
  } catch {
    return null
  }
}

/**
 * "Test connection" for a profile: reach, TLS, secret (401), portal permission (403 on the
 * pending list), write permission (changing nothing) and policy read, each as its own result. Policy read is a warning only:
 * without it requests show policy ids instead of names, so `ok` ignores it.
 */
export async function testConnection(options: PortalClientOptions): Promise<ConnectionTest> {
  const http = createDashboardHttp(options)
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  let firstPage: { Data?: unknown[] | null; Pages?: number | null }
  try {
    firstPage = await http.send({
      method: 'GET',
      path: '/api/portal/requests',
      query: { approved: 'false', p: 1 },
      schema: listEnvelopeSchema(keyRequestSchema)
    })
  } catch (error) {
    const answered = error instanceof PortalCallFailure && error.details.status !== null
    const certificate = error instanceof PortalCallFailure ? error.details.certificate : null
    return {
      ...(certificate ? { certificate } : {}),
      ok: false,
      checks: checksForFailure(error, options, http.host),
      latencyMs: answered ? elapsed() : null,
      pendingCount: null
    }
  }
  const latencyMs = elapsed()
  const client = createTykClassicClient(options)
  const pendingCount = await countPending(firstPage, client)

  const checks: Check[] = [
    check('reach', true, `Reached ${http.host} in ${latencyMs} ms`),
    tlsCheck(options),
    check('auth', true, 'API secret accepted'),
    check('permission', true, 'The Dashboard user can read key requests (portal permission)')
  ]
  const write = await checkWritePermission(http)
  checks.push(write.check)
  try {
    const policies = await client.listPolicies(true)
    checks.push(check('policies', true, `${policies.length} policies readable`))
  } catch (error) {
    const message =
      codeOf(error) === 'FORBIDDEN'
        ? 'The Dashboard user cannot read policies (403): requests will show policy ids instead of names; grant it policy read to fix'
        : `Policies could not be read: ${messageOf(error)}`
    checks.push(warning('policies', message))
  }
  return {
    // Warnings (policy read, TLS over an opted-in http) and a write check that could not decide
    // are shown, not failed.
    ok: checks.every((c) => c.ok || c.warning === true || (c.name === 'write' && !write.decided)),
    checks,
    latencyMs,
    pendingCount
  }
}
