import { X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../../../emulator'
import { testTls } from '../../http/test-tls'
import { createTykClassicClient } from './tyk-classic-client'
import { failureOf, secret, transport } from './tyk-classic-client.test-harness'

describe('a Dashboard with a self-signed certificate', () => {
  const material = testTls.selfSigned
  let tlsEmulator: RunningEmulator
  beforeAll(async () => {
    tlsEmulator = await startEmulator({
      secret,
      seedPending: 3,
      seedApproved: 0,
      tls: { key: material.key, cert: material.cert }
    })
  })
  afterAll(() => tlsEmulator.close())

  const tlsClient = (tls: { customCa: string | null; pinnedSha256: string | null }) =>
    createTykClassicClient({
      profile: { id: 'tls', baseUrl: tlsEmulator.url, ...tls },
      secret,
      transport
    })

  it('is rejected by default with the reason and what to do', async () => {
    const failure = await failureOf(
      tlsClient({ customCa: null, pinnedSha256: null }).listRequests('pending')
    )
    expect(failure.error).toEqual({
      code: 'TLS',
      message: `TLS check of 127.0.0.1:${tlsEmulator.port} failed (the certificate is self-signed and not trusted): add the portal's CA to the profile, or test the connection and confirm the certificate's fingerprint`,
      retryable: false
    })
  })

  it("is trusted through the profile's custom CA", async () => {
    const list = await tlsClient({ customCa: material.cert, pinnedSha256: null }).listRequests(
      'pending'
    )
    expect(list).toHaveLength(3)
  })

  it('is accepted once pinned by its SHA-256 fingerprint', async () => {
    const pinnedSha256 = new X509Certificate(material.cert).fingerprint256
    const list = await tlsClient({ customCa: null, pinnedSha256 }).listRequests('pending')
    expect(list).toHaveLength(3)
  })
})
