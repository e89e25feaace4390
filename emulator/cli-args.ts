import { readFileSync } from 'node:fs'
import { defaultSwitches, parseSwitchesPatch } from './settings'
import type { EmulatorOptions, EmulatorSwitches } from './types'

/** `pageSize` -> `page-size`: every switch is also a CLI flag. */
export function switchFlag(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

const switchByFlag = new Map(
  (Object.keys(defaultSwitches) as (keyof EmulatorSwitches)[]).map((name) => [
    switchFlag(name),
    name
  ])
)

const optionFlags = [
  'port',
  'host',
  'secret',
  'read-only-secret',
  'seed',
  'seed-pending',
  'seed-approved',
  'seed-now',
  'data',
  'webhook',
  'tls-key',
  'tls-cert',
  'control-port'
] as const

export const usage = `Usage: npm run emulator -- --secret <key> [options]

  --port <n>               API port (default 3000; 0 picks a free one)
  --host <addr>            bind address (default 127.0.0.1)
  --secret <key>           admin API key (required), also guards /__emulator
  --read-only-secret <key> a second user that may only read
  --seed <n>               PRNG seed of the generated data (default 1)
  --seed-pending <n>       seeded pending requests (default 25)
  --seed-approved <n>      seeded approved requests (default 10)
  --seed-now <iso|ms>      anchor of the seeded dates (default now)
  --data <file.json>       load this state instead of seeding
  --webhook <url>          POST key_request_event.* webhooks here
  --tls-key <pem file>     serve https with this key ...
  --tls-cert <pem file>    ... and this certificate
  --control-port <n>       always-on control listener port (default 0 = free)
  --<switch> <value>       any switch, kebab-case, e.g. --page-size 20 --p-zero first-page
                           --guard-double-approve false (see emulator/README.md)
`

export interface CliRequest {
  help: boolean
  options: EmulatorOptions
}

/** Parses the CLI; throws an Error with an actionable message on a bad or missing flag. */
export function parseCliArgs(argv: string[]): CliRequest {
  const values = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--help' || arg === '-h') return { help: true, options: { secret: '' } }
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}" (flags start with --)`)
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
    let value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1]
    if (eq < 0) i += 1
    if (value === undefined) throw new Error(`--${name} needs a value`)
    if (!(optionFlags as readonly string[]).includes(name) && !switchByFlag.has(name)) {
      throw new Error(`Unknown flag --${name}; run with --help for the list`)
    }
    value = value.trim()
    values.set(name, value)
  }
  const secret = values.get('secret')
  if (!secret)
    throw new Error('--secret is required (the admin API key clients send in authorization)')
  const options: EmulatorOptions = {
    secret,
    port: integer(values, 'port') ?? 3000,
    host: values.get('host') ?? '127.0.0.1',
    readOnlySecret: values.get('read-only-secret'),
    seed: integer(values, 'seed'),
    seedPending: integer(values, 'seed-pending'),
    seedApproved: integer(values, 'seed-approved'),
    seedNow: instant(values.get('seed-now')),
    dataFile: values.get('data'),
    webhookUrl: values.get('webhook'),
    controlPort: integer(values, 'control-port'),
    switches: switchValues(values)
  }
  const key = values.get('tls-key')
  const cert = values.get('tls-cert')
  if ((key === undefined) !== (cert === undefined))
    throw new Error('--tls-key and --tls-cert go together')
  if (key !== undefined && cert !== undefined) {
    options.tls = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
  }
  return { help: false, options }
}

function integer(values: Map<string, string>, name: string): number | undefined {
  const raw = values.get(name)
  if (raw === undefined) return undefined
  if (!/^-?\d+$/.test(raw)) throw new Error(`--${name} needs a whole number, got "${raw}"`)
  return Number.parseInt(raw, 10)
}

function instant(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)
  if (Number.isNaN(ms)) throw new Error(`--seed-now needs an ISO date or epoch ms, got "${raw}"`)
  return ms
}

function switchValues(values: Map<string, string>): Partial<EmulatorSwitches> {
  const patch: Record<string, unknown> = {}
  for (const [flag, raw] of values) {
    const name = switchByFlag.get(flag)
    if (!name) continue
    const kind = typeof defaultSwitches[name]
    if (kind === 'boolean') {
      if (raw !== 'true' && raw !== 'false')
        throw new Error(`--${flag} needs true or false, got "${raw}"`)
      patch[name] = raw === 'true'
    } else if (kind === 'number') {
      if (!/^\d+$/.test(raw)) throw new Error(`--${flag} needs a whole number, got "${raw}"`)
      patch[name] = Number.parseInt(raw, 10)
    } else {
      patch[name] = raw
    }
  }
  return parseSwitchesPatch(patch)
}
