import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../../../emulator'
import { addProfile, started, stopAll } from '../../app-core.test-harness'
import { createNodeTransport } from '../../http/node-transport'
import { testConnection } from './connection-test'
import type { PortalClientOptions } from '../portal-client'

const secret = 'kg-write-admin-5b1a'
const readOnlySecret = 'kg-write-reader-77c0'
let emulator: RunningEmulator

beforeAll(async () => {
  emulator = await startEmulator({ secret, readOnlySecret, seed: 4, seedPending: 6 })
})
afterAll(() => emulator.close())
afterEach(async () => {
  emulator.control.clearFaults()
  await stopAll()
})

const options = (key: string): PortalClientOptions => ({
  profile: { id: 'conn', baseUrl: emulator.url, customCa: null, pinnedSha256: null },
  secret: key,
  transport: createNodeTransport()
})

const checkOf = (result: Awaited<ReturnType<typeof testConnection>>, name: string) =>
  result.checks.find((check) => check.name === name)

describe('Test connection: write permission', () => {
  it('passes for a user that may approve and decline, and changes nothing on the Dashboard', async () => {
    const before = emulator.control.exportState()
    const result = await testConnection(options(secret))
    expect(result.ok).toBe(true)
    expect(checkOf(result, 'write')).toEqual({
      name: 'write',
      ok: true,
      message: expect.stringContaining('can approve and decline')
    })
    expect(emulator.control.stats().deletes).toEqual({})
    expect(emulator.control.exportState()).toEqual(before)
  })

  it('fails for a read-only API key, saying it lacks write permission rather than that the key is wrong', async () => {
    const result = await testConnection(options(readOnlySecret))
    expect(result.ok).toBe(false)
    expect(checkOf(result, 'auth')?.ok).toBe(true)
    const write = checkOf(result, 'write')
    expect(write?.ok).toBe(false)
    expect(write?.message).toContain('portal write permission (403)')
    expect(write?.message).not.toMatch(/update the profile|change the (secret|key)/i)
  })

  it('says plainly when it could not check, without failing the test', async () => {
    emulator.control.setFaults({ errorRate: 1, errorMethods: ['POST', 'PUT', 'DELETE'] })
    const result = await testConnection(options(secret))
    expect(result.ok).toBe(true)
    expect(checkOf(result, 'write')).toEqual({
      name: 'write',
      ok: false,
      message: expect.stringMatching(/^Could not check the write permission/)
    })
  })
})

describe('an approval refused for lack of write permission', () => {
  it('tells the admin to grant portal write, not to change the API key', async () => {
    const { core } = await started({ tuning: { actionWaitMs: 5_000 } })
    const profile = await addProfile(core, emulator, 'Reader', readOnlySecret)
    const view = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    const outcome = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: view.items[0]!.id
    })
    expect(outcome.state).toBe('needs-auth')
    expect(outcome.message).toContain('portal write permission')
    expect(outcome.message).not.toMatch(/API secret|update the profile/i)
  })
})
