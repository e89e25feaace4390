import { X509Certificate } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorSwitches, type RunningEmulator } from '../../../../../emulator'
import { createNodeTransport } from '../../http/node-transport'
import { testTls } from '../../http/test-tls'
import { testConnection } from './connection-test'
import { PortalCallFailure } from '../portal-client'
import { createTykClassicClient } from './tyk-classic-client'
import type { PortalClientOptions } from '../portal-client'
import { startScriptedDashboard, untilListening } from '../test-dashboard'

const secret = 'kg-conn-secret-93d1e7'
const transport = createNodeTransport()
let emulator: RunningEmulator
let initialSwitches: EmulatorSwitches

beforeAll(async () => {
  emulator = await startEmulator({ secret, seed: 3, seedPending: 25, seedApproved: 2 })
  initialSwitches = emulator.control.switches()
})
afterAll(() => emulator.close())
afterEach(async () => {
  emulator.control.clearFaults()
  emulator.control.setSwitches(initialSwitches)
  await untilListening(emulator.port)
})

const options = (
  overrides: Partial<PortalClientOptions['profile']> & { secret?: string; timeoutMs?: number } = {}
): PortalClientOptions => ({
  profile: {
    id: 'conn',
    baseUrl: overrides.baseUrl ?? emulator.url,
    customCa: overrides.customCa ?? null,
    pinnedSha256: overrides.pinnedSha256 ?? null
  },
  secret: overrides.secret ?? secret,
  transport,
  timeoutMs: overrides.timeoutMs
})

const verdicts = (result: Awaited<ReturnType<typeof testConnection>>) =>
  Object.fromEntries(result.checks.map((c) => [c.name, c.ok]))

describe('testConnection', () => {
  it('passes every check against a healthy Dashboard, with latency and pending count', async () => {
    const result = await testConnection(options())
    expect(result.ok).toBe(true)
    expect(verdicts(result)).toEqual({
      reach: true,
      tls: false,
      auth: true,
      permission: true,
      write: true,
      policies: true
    })
    expect(result.pendingCount).toBe(25)
    expect(result.latencyMs).toEqual(expect.any(Number))
    // Plain http on this machine works, but is never reported as TLS that passed.
    expect(result.checks.find((c) => c.name === 'tls')).toEqual({
      name: 'tls',
      ok: false,
      warning: true,
      message:
        'Plain http://: not encrypted, so the API key and issued keys cross the network readable'
    })
  })

  it('counts pending requests from one page when they fit on it', async () => {
    emulator.control.setSwitches({ pageSize: 100 })
    expect((await testConnection(options())).pendingCount).toBe(25)
  })

  it('fails the auth check on a rejected secret (401), after reach passed', async () => {
    const result = await testConnection(options({ secret: 'wrong-secret' }))
    expect(result.ok).toBe(false)
    expect(verdicts(result)).toEqual({ reach: true, tls: false, auth: false })
    expect(result.checks.find((c) => c.name === 'auth')?.message).toBe(
      'API secret rejected (401): update the profile'
    )
    expect(result.latencyMs).toEqual(expect.any(Number))
    expect(result.pendingCount).toBeNull()
  })

  it('fails the permission check when the user may not read key requests (403)', async () => {
    const dash = await startScriptedDashboard(() => ({
      status: 403,
      body: {
        Status: 'Error',
        Message: 'access denied: You do not have permission to access  /api/portal/requests',
        Meta: null
      }
    }))
    try {
      const result = await testConnection(options({ baseUrl: dash.url }))
      expect(result.ok).toBe(false)
      expect(verdicts(result)).toEqual({ reach: true, tls: false, auth: true, permission: false })
      expect(result.checks.find((c) => c.name === 'permission')?.message).toContain(
        'lacks the portal read permission (403)'
      )
      expect(dash.seen[0]?.query.get('approved')).toBe('false')
      expect(dash.seen[0]?.query.get('p')).toBe('1')
    } finally {
      await dash.close()
    }
  })

  it('warns, without failing, when policies cannot be read', async () => {
    emulator.control.setSwitches({ policyAccess: 'none' })
    const result = await testConnection(options())
    expect(result.ok).toBe(true)
    const policies = result.checks.find((c) => c.name === 'policies')
    expect(policies?.ok).toBe(false)
    expect(policies?.message).toContain('cannot read policies (403)')
  })

  it('fails reach when the portal refuses connections', async () => {
    emulator.control.setFaults({ offline: true })
    const refused = await testConnection(options())
    expect(refused.ok).toBe(false)
    expect(refused.checks).toEqual([
      {
        name: 'reach',
        ok: false,
        message: `Portal unreachable (connection refused by 127.0.0.1:${emulator.port})`
      }
    ])
    expect(refused.latencyMs).toBeNull()
  })

  it('fails reach when the portal does not answer in time', async () => {
    emulator.control.setFaults({ latencyMs: 1_000 })
    const slow = await testConnection(options({ timeoutMs: 200 }))
    expect(slow.checks).toEqual([
      { name: 'reach', ok: false, message: 'Portal unreachable (timed out after 0.2 s)' }
    ])
  })

  it('fails reach for a URL that is not a Dashboard API, or not a URL at all', async () => {
    const dash = await startScriptedDashboard(() => ({ status: 404, body: '404 page not found' }))
    try {
      const result = await testConnection(options({ baseUrl: dash.url }))
      expect(result.ok).toBe(false)
      expect(result.checks).toHaveLength(1)
      expect(result.checks[0]?.message).toContain('not as a Tyk Dashboard API')
    } finally {
      await dash.close()
    }
    const invalid = await testConnection(options({ baseUrl: 'dashboard.example.com' }))
    expect(invalid.checks[0]).toMatchObject({ name: 'reach', ok: false })
    expect(invalid.checks[0]?.message).toContain('The Dashboard URL is not valid')
  })
})

describe('testConnection over TLS', () => {
  const material = testTls.selfSigned
  let tlsEmulator: RunningEmulator
  beforeAll(async () => {
    tlsEmulator = await startEmulator({
      secret,
      seedPending: 2,
      seedApproved: 0,
      tls: { key: material.key, cert: material.cert }
    })
  })
  afterAll(() => tlsEmulator.close())

  it('reports an untrusted certificate as its own failed check', async () => {
    const result = await testConnection(options({ baseUrl: tlsEmulator.url }))
    expect(result.ok).toBe(false)
    expect(verdicts(result)).toEqual({ reach: true, tls: false })
    expect(result.checks.find((c) => c.name === 'tls')?.message).toContain(
      "self-signed and not trusted): add the portal's CA to the profile"
    )
  })

  it("passes with the profile's CA, and says how the certificate was checked", async () => {
    const trusted = await testConnection(
      options({ baseUrl: tlsEmulator.url, customCa: material.cert })
    )
    expect(trusted.ok).toBe(true)
    expect(trusted.pendingCount).toBe(2)
    expect(trusted.checks.find((c) => c.name === 'tls')?.message).toBe(
      "Certificate verified against the profile's CA"
    )
    const pinnedSha256 = new X509Certificate(material.cert).fingerprint256
    const pinned = await testConnection(options({ baseUrl: tlsEmulator.url, pinnedSha256 }))
    expect(pinned.ok).toBe(true)
    expect(pinned.checks.find((c) => c.name === 'tls')?.message).toBe(
      `Certificate is the one you confirmed (SHA-256 ${pinnedSha256}), valid for this host`
    )
  })
})

describe('a pinned certificate that has expired', () => {
  let expiredEmulator: RunningEmulator
  beforeAll(async () => {
    expiredEmulator = await startEmulator({
      secret,
      seedPending: 1,
      seedApproved: 0,
      tls: testTls.expired
    })
  })
  afterAll(() => expiredEmulator.close())
  const pinnedSha256 = new X509Certificate(testTls.expired.cert).fingerprint256
  const expired =
    'the pinned certificate expired on 2021-01-01: confirm the new one once the Dashboard has a renewed certificate (Test connection shows it)'

  it('is said plainly at Test connection', async () => {
    const result = await testConnection(options({ baseUrl: expiredEmulator.url, pinnedSha256 }))
    expect(result.ok).toBe(false)
    expect(result.checks.find((c) => c.name === 'tls')?.message).toContain(expired)
  })

  it('is said plainly on a call, with nothing else to try', async () => {
    const client = createTykClassicClient(options({ baseUrl: expiredEmulator.url, pinnedSha256 }))
    const failure = await client.listRequests('pending').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(PortalCallFailure)
    expect((failure as PortalCallFailure).error.code).toBe('TLS')
    const message = (failure as PortalCallFailure).message
    expect(message).toContain(`(${expired})`)
    expect(message).not.toMatch(/add the portal's CA/)
  })
})
