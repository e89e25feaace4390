import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../../../emulator'
import { createNodeTransport } from '../../http/node-transport'
import { createRedactor, REDACTED } from '../../logging/redactor'
import { credentialSecrets } from '../credential-secrets'
import { createTykClassicClient } from './tyk-classic-client'

const secret = 'kg-registration-secret-31f0'
let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({
    secret,
    seed: 9,
    seedPending: 12,
    switches: { rawKeyFormat: 'legacy' }
  })
})
afterAll(() => emulator.close())

describe('an approve answer', () => {
  it.each(['authToken', 'basic', 'oauth'])(
    'registers the %s credential with the redactor the moment it arrives',
    async (authType) => {
      const redactor = createRedactor()
      const client = createTykClassicClient({
        profile: { id: 'p', baseUrl: emulator.url, customCa: null, pinnedSha256: null },
        secret,
        transport: createNodeTransport(),
        redactor
      })
      const pending = await client.listRequests('pending')
      const target = pending.find((request) => request.catalogue?.authType === authType)!
      const credential = await client.approve(target.id)
      const values = credentialSecrets(credential)
      expect(values.length).toBeGreaterThan(0)
      for (const value of values) {
        // Wrapped in letters: a legacy hex key is then no longer key-shaped, only registration counts.
        expect(redactor.scrubText(`x${value}x`)).toBe(`x${REDACTED}x`)
      }
    }
  )
})
