import { randomBytes } from 'node:crypto'
import { startEmulator } from '../../../emulator'
import type { DemoPortal } from '../core/app-core-types'

/**
 * The first-run demo portal: the emulator inside this process, on a free loopback port, seeded,
 * with a fresh random secret each time it starts.
 */
export function startDemoPortal(): Promise<DemoPortal> {
  return startEmulator({
    port: 0,
    secret: randomBytes(24).toString('hex'),
    seed: 7,
    seedPending: 25,
    seedApproved: 10
  })
}
