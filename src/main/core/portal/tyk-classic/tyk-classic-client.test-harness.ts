/**
 * Test support: one seeded emulator for the Classic client's tests in this folder, reset after
 * each test, and a client on it.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startEmulator, type EmulatorSwitches, type RunningEmulator } from '../../../../../emulator'
import { createNodeTransport } from '../../http/node-transport'
import type { Logger } from '../../ports'
import { PortalCallFailure, type PortalClient } from '../portal-client'
import { untilListening } from '../test-dashboard'
import { createTykClassicClient } from './tyk-classic-client'

export const secret = 'kg-admin-secret-7f3a9c2e51'
export const readOnlySecret = 'kg-readonly-secret-0b8d44'
export const transport = createNodeTransport()
export const logLines: string[] = []
const logger: Logger = {
  info: (message, data) => logLines.push(JSON.stringify({ message, data })),
  warn: (message, data) => logLines.push(JSON.stringify({ message, data })),
  error: (message, data) => logLines.push(JSON.stringify({ message, data }))
}

export let emulator: RunningEmulator
let initialSwitches: EmulatorSwitches

beforeAll(async () => {
  emulator = await startEmulator({
    secret,
    readOnlySecret,
    seed: 7,
    seedPending: 25,
    seedApproved: 10
  })
  initialSwitches = emulator.control.switches()
})
afterAll(() => emulator.close())
afterEach(async () => {
  emulator.control.clearFaults()
  emulator.control.setSwitches(initialSwitches)
  emulator.control.reset()
  await untilListening(emulator.port)
})

export function clientFor(
  overrides: { secret?: string; timeoutMs?: number; url?: string } = {}
): PortalClient {
  return createTykClassicClient({
    profile: {
      id: 'profile-1',
      baseUrl: overrides.url ?? emulator.url,
      customCa: null,
      pinnedSha256: null
    },
    secret: overrides.secret ?? secret,
    transport,
    logger,
    timeoutMs: overrides.timeoutMs
  })
}

export async function failureOf(promise: Promise<unknown>): Promise<PortalCallFailure> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(PortalCallFailure)
    return error as PortalCallFailure
  }
  throw new Error('expected the portal call to fail')
}

export const state = () => emulator.control.exportState()
export const str = (value: unknown): string => (typeof value === 'string' ? value : '')
export const policyNames = () =>
  new Map(state().policies.map((p) => [str(p._id), str(p.name)] as const))

/** A pending request whose catalogue entry has this auth type, from the client's own listing. */
export async function pendingOfAuthType(client: PortalClient, authType: string): Promise<string> {
  const pending = await client.listRequests('pending')
  const match = pending.find((request) => request.catalogue?.authType === authType)
  if (!match) throw new Error(`the seed has no pending ${authType} request`)
  return match.id
}
