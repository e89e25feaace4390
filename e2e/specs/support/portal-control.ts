import type { RunningEmulator } from '../../../emulator'

/**
 * Closes or reopens the portal's API listener, so the app gets real refused connections. Goes
 * through the always-on control listener, whose answer to `offline: false` waits until the API
 * port accepts connections again.
 */
export async function setPortalOffline(portal: RunningEmulator, offline: boolean): Promise<void> {
  const response = await fetch(`${portal.controlUrl}/faults`, {
    method: 'POST',
    headers: { authorization: portal.secret, 'content-type': 'application/json' },
    body: JSON.stringify({ offline })
  })
  if (!response.ok) {
    throw new Error(`POST faults answered ${response.status}: ${await response.text()}`)
  }
}
