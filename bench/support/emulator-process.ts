import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { EmulatorFaults, EmulatorStats, EmulatorSwitches } from '../../emulator'

const repoRoot = path.resolve(import.meta.dirname, '../..')

/** Emulators still running, killed when this process exits however it ends (see runBench). */
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export interface EmulatorProcess {
  url: string
  secret: string
  pid: number
  setFaults(patch: Partial<EmulatorFaults>): Promise<void>
  setSwitches(patch: Partial<EmulatorSwitches>): Promise<void>
  /** New pending requests, each newer than any before; answers their ids. */
  generate(count: number): Promise<string[]>
  stats(): Promise<EmulatorStats>
  close(): Promise<void>
}

export interface EmulatorProcessOptions {
  secret: string
  seed: number
  /** Faults set right after start (e.g. `{ latencyMs: 20 }`). */
  faults?: Partial<EmulatorFaults>
}

/**
 * Starts the emulator CLI in its own process, so its CPU and heap stay out of the figures of
 * the process being measured (a real Dashboard is another machine), with no seeded requests.
 */
export async function startEmulatorProcess(
  options: EmulatorProcessOptions
): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'emulator/cli.ts',
      '--port',
      '0',
      '--secret',
      options.secret,
      '--seed',
      String(options.seed),
      '--seed-pending',
      '0',
      '--seed-approved',
      '0'
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  running.add(child)
  child.once('exit', () => running.delete(child))
  const { url, controlUrl } = await readAddresses(child)
  const control = async <T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${controlUrl}/${route}`, {
      method,
      headers: { authorization: options.secret, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    if (!response.ok)
      throw new Error(`emulator control ${route} answered ${response.status}: ${text}`)
    return JSON.parse(text) as T
  }
  const emulator: EmulatorProcess = {
    url,
    secret: options.secret,
    pid: child.pid ?? -1,
    setFaults: async (patch) => {
      await control('POST', 'faults', patch)
    },
    setSwitches: async (patch) => {
      await control('POST', 'switches', patch)
    },
    generate: async (count) =>
      (await control<{ ids: string[] }>('POST', 'generate', { count })).ids,
    stats: () => control<EmulatorStats>('GET', 'stats'),
    close: () => stop(child)
  }
  if (options.faults) await emulator.setFaults(options.faults)
  return emulator
}

/** Starts several emulators side by side (seeds differ, so their data differs). */
export function startEmulatorProcesses(
  count: number,
  options: Omit<EmulatorProcessOptions, 'seed'> & { firstSeed: number }
): Promise<EmulatorProcess[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      startEmulatorProcess({ ...options, seed: options.firstSeed + index })
    )
  )
}

function readAddresses(child: ChildProcess): Promise<{ url: string; controlUrl: string }> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    let url: string | null = null
    let controlUrl: string | null = null
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`emulator did not start within 30 s; stderr: ${stderr}`))
    }, 30_000)
    const check = (): void => {
      if (url === null || controlUrl === null) return
      clearTimeout(timer)
      resolve({ url, controlUrl })
    }
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      url ??= /listening on (\S+)/.exec(stdout)?.[1] ?? null
      check()
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      controlUrl ??= /control API on (\S+)/.exec(stderr)?.[1] ?? null
      check()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`emulator exited (${code}) before listening; stderr: ${stderr}`))
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
