import type { Profile } from '../../src/shared/domain'
import { createNodeTransport } from '../../src/main/core/http/node-transport'
import type { HttpTransport } from '../../src/main/core/ports'
import type { PortalClient } from '../../src/main/core/portal/portal-client'
import { createTykClassicClient } from '../../src/main/core/portal/tyk-classic/tyk-classic-client'
import { testProfile } from '../../src/shared/testing/profile'
import type { EmulatorProcess } from './emulator-process'

/** A saved profile pointing at an emulator, as the profile service would store it. */
export function profileFor(emulator: EmulatorProcess, index: number): Profile {
  return testProfile({
    id: `bench-${index + 1}`,
    name: `Portal ${index + 1}`,
    baseUrl: emulator.url
  })
}

/** The production Tyk Classic client for a profile (one per profile and secret, as the pool does). */
export function clientFor(
  profile: Profile,
  emulator: EmulatorProcess,
  transport: HttpTransport = createNodeTransport()
): PortalClient {
  return createTykClassicClient({ profile, secret: emulator.secret, transport })
}

/**
 * Median round trip of a small GET (one request's JSON) on a warm keep-alive connection, in
 * ms: what one call costs on this emulator with its latency, for the flush floor.
 */
export async function measureRtt(
  emulator: EmulatorProcess,
  requestId: string,
  samples = 21
): Promise<number[]> {
  const transport = createNodeTransport()
  const times: number[] = []
  for (let i = 0; i < samples + 1; i++) {
    const start = performance.now()
    const response = await transport({
      method: 'GET',
      url: `${emulator.url}/api/portal/requests/${requestId}`,
      headers: { authorization: emulator.secret },
      timeoutMs: 10_000
    })
    if (response.status !== 200) throw new Error(`RTT probe answered ${response.status}`)
    // The first call opens the connection; the floor is about calls on warm connections.
    if (i > 0) times.push(performance.now() - start)
  }
  return times
}
