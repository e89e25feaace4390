import { z } from 'zod'
import { appErrorSchema } from '../src/shared/result'

/** Messages between the chaos run and a worker process hosting a core; validated on receipt. */

export const coreConfigSchema = z.object({
  mode: z.enum(['app', 'outbox']),
  dir: z.string().min(1),
  timeline: z.object({ origin: z.number(), scale: z.number().positive() }),
  profiles: z.array(z.object({ id: z.string(), url: z.string(), secret: z.string() })),
  verbose: z.boolean(),
  clockOffsetMs: z.number().optional()
})

const driverOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('approve'), profileId: z.string(), requestId: z.string() }),
  z.object({
    op: z.literal('decline'),
    profileId: z.string(),
    requestId: z.string(),
    reason: z.string()
  }),
  z.object({ op: z.literal('cancel'), opId: z.string() }),
  z.object({ op: z.literal('retry'), opId: z.string() }),
  z.object({ op: z.literal('list') }),
  z.object({ op: z.literal('updateSecret'), profileId: z.string(), secret: z.string() }),
  z.object({
    op: z.literal('deleteProfile'),
    profileId: z.string(),
    pendingActions: z.enum(['send', 'cancel'])
  }),
  z.object({
    op: z.literal('createProfile'),
    name: z.string(),
    url: z.string(),
    secret: z.string()
  }),
  z.object({ op: z.literal('listProfiles') }),
  z.object({ op: z.literal('decisions'), profileId: z.string() }),
  z.object({ op: z.literal('removedPortals') })
])

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number(), call: driverOpSchema }),
  z.object({ type: z.literal('stop') })
])
export type ToWorker = z.infer<typeof toWorkerSchema>

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('reply'),
    id: z.number(),
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: appErrorSchema })
    ])
  }),
  /** Outbox items `sending` after a change: the moment a kill lands mid-flush. */
  z.object({ type: z.literal('sending'), opIds: z.array(z.string()) }),
  /** The core showed a notification (its title). */
  z.object({ type: z.literal('notified'), title: z.string() })
])
export type FromWorker = z.infer<typeof fromWorkerSchema>

/** The config travels as one argv entry. */
export const encodeConfig = (config: z.input<typeof coreConfigSchema>): string =>
  Buffer.from(JSON.stringify(config), 'utf8').toString('base64url')

export const decodeConfig = (arg: string | undefined) =>
  coreConfigSchema.parse(JSON.parse(Buffer.from(arg ?? '', 'base64url').toString('utf8')))
