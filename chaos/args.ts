import { parseArgs } from 'node:util'
import { z } from 'zod'
import { hostFaultKinds } from './host-faults'
import type { ChaosOptions } from './run-chaos'

const usage = `usage: npm run chaos -- [--actions 2000] [--profiles 3] [--fault-rate 0.3] [--kills 20] [--seed 1]
  [--mode app|outbox] [--time-scale 10] [--concurrency 8] [--rival-rate 0.08] [--quiesce-ms 120000]
  [--faults all|classic] [--host-faults all|none|keychain-hang,disk-full,corrupt-store,clock-jump]
  [--profile-deletes 0] [--verbose]`

const optionsSchema = z.object({
  actions: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  profiles: z.coerce.number().int().min(1).max(20).default(3),
  faultRate: z.coerce.number().min(0).max(1).default(0.3),
  kills: z.coerce.number().int().min(0).max(1000).default(20),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  mode: z.enum(['app', 'outbox']).default('app'),
  timeScale: z.coerce.number().min(1).max(100).default(10),
  concurrency: z.coerce.number().int().min(1).max(64).default(8),
  rivalRate: z.coerce.number().min(0).max(1).default(0.08),
  quiesceMs: z.coerce.number().int().min(1_000).default(120_000),
  faults: z.enum(['all', 'classic']).default('all'),
  hostFaults: z
    .string()
    .default('all')
    .transform((value) =>
      value === 'all' ? [...hostFaultKinds] : value === 'none' ? [] : value.split(',')
    )
    .pipe(z.array(z.enum(hostFaultKinds))),
  profileDeletes: z.coerce.number().int().min(0).max(1000).default(0),
  verbose: z.boolean().default(false)
})

export type ParsedArgs =
  { ok: true; options: Omit<ChaosOptions, 'log'> } | { ok: false; message: string }

/** Reads the chaos CLI flags; a bad one comes back as a message naming it, with the usage. */
export function parseChaosArgs(argv: string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        actions: { type: 'string' },
        profiles: { type: 'string' },
        'fault-rate': { type: 'string' },
        kills: { type: 'string' },
        seed: { type: 'string' },
        mode: { type: 'string' },
        'time-scale': { type: 'string' },
        concurrency: { type: 'string' },
        'rival-rate': { type: 'string' },
        'quiesce-ms': { type: 'string' },
        faults: { type: 'string' },
        'host-faults': { type: 'string' },
        'profile-deletes': { type: 'string' },
        verbose: { type: 'boolean' }
      }
    }).values
  } catch (error) {
    return {
      ok: false,
      message: `${error instanceof Error ? error.message : String(error)}\n${usage}`
    }
  }
  const parsed = optionsSchema.safeParse({
    actions: values.actions,
    profiles: values.profiles,
    faultRate: values['fault-rate'],
    kills: values.kills,
    seed: values.seed,
    mode: values.mode,
    timeScale: values['time-scale'],
    concurrency: values.concurrency,
    rivalRate: values['rival-rate'],
    quiesceMs: values['quiesce-ms'],
    faults: values.faults,
    hostFaults: values['host-faults'],
    profileDeletes: values['profile-deletes'],
    verbose: values.verbose
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const flag = String(issue?.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    return { ok: false, message: `--${flag}: ${issue?.message}\n${usage}` }
  }
  return { ok: true, options: parsed.data }
}
