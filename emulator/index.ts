import { createControl } from './control'
import { loadDataFile } from './data-file'
import { FaultInjector } from './faults'
import { seedData } from './seed'
import { EmulatorServer } from './server'
import { PortalService } from './service'
import { defaultSwitches, parseSwitchesPatch } from './settings'
import type { EmulatorOptions, EmulatorSwitches, RunningEmulator } from './types'
import { WebhookSender } from './webhook'

export type {
  ApproveOutcome,
  EmulatorControl,
  EmulatorData,
  EmulatorFaults,
  EmulatorOptions,
  EmulatorStats,
  EmulatorSwitches,
  IssuedKey,
  RunningEmulator
} from './types'
export { defaultFaults, defaultSwitches } from './settings'

/**
 * Starts a Tyk Dashboard (Classic Portal) emulator on 127.0.0.1 (README.md): seeded or loaded
 * state, the /api/portal endpoints, faults, switches and the control API. Rejects with an
 * actionable Error on bad options or a port that is taken.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  if (!options.secret) throw new Error('startEmulator needs a non-empty secret (the admin API key)')
  const switches: EmulatorSwitches = {
    ...defaultSwitches,
    ...parseSwitchesPatch(options.switches ?? {})
  }
  const seed = options.seed ?? 1
  const snapshot = options.dataFile
    ? loadDataFile(options.dataFile)
    : seedData({
        seed,
        pending: wholeCount(options.seedPending ?? 25, 'seedPending'),
        approved: wholeCount(options.seedApproved ?? 10, 'seedApproved'),
        now: options.seedNow ?? Date.now(),
        switches
      })
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`)
  }
  const webhook = new WebhookSender(options.webhookUrl, () => switches.webhookRetries, log)
  const service = new PortalService(snapshot, switches, webhook, seed)
  let server: EmulatorServer | null = null
  const faults = new FaultInjector(seed, (offline) => server?.setOffline(offline))
  const control = createControl(service, faults)
  const host = options.host ?? '127.0.0.1'
  server = new EmulatorServer({
    host,
    port: options.port ?? 0,
    controlPort: options.controlPort ?? 0,
    tls: options.tls,
    service,
    faults,
    control,
    users: { secret: options.secret, readOnlySecret: options.readOnlySecret },
    log
  })
  await server.start()
  const running = server
  const { port, controlPort } = running.ports
  const scheme = options.tls ? 'https' : 'http'
  const hostPart = host.includes(':') ? `[${host}]` : host
  return {
    url: `${scheme}://${hostPart}:${port}`,
    port,
    controlUrl: `${scheme}://${hostPart}:${controlPort}/__emulator`,
    secret: options.secret,
    control,
    close: async () => {
      await running.close()
      await webhook.close()
    }
  }
}

function wholeCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number >= 0, got ${value}`)
  }
  return value
}
