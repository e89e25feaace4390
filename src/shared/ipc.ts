/**
 * The one IPC contract between renderer and main. Every channel is `domain:verb`, takes one
 * argument validated by the zod schema beside it, and answers `Result<T>` (errors cross as data).
 * The preload builds `window.keygate` from `invokeChannels`; the browser harness binds the same map.
 */
import { z } from 'zod'
import type {
  ActionOutcome,
  AppInfo,
  AppSettings,
  Connectivity,
  ConnectionTest,
  CopyReceipt,
  DecideManyResult,
  DecisionLogEntry,
  Developer,
  ExportResult,
  IssuedCredential,
  KeyNotice,
  KeysExportResult,
  OutboxItem,
  Policy,
  Profile,
  ProfileDeleteResult,
  ProfileSummary,
  RemovedPortal,
  RequestDetail,
  RequestListView,
  UndoResult
} from './domain'
import { credentialFields, exportFormats, exportKinds } from './domain'
import type { Result } from './result'

const id = z.string().min(1).max(200)
const noArgs = z.undefined()

/**
 * Bounds on any argument, checked before its schema runs so an oversized call is refused at
 * little cost: the largest legitimate one (a profile with a 200,000-character CA bundle, or 50
 * custom fields of 5,000 characters) stays well inside them.
 */
export const argumentLimits = {
  /** Characters across every string and object key. */
  maxChars: 1_000_000,
  /** Values (strings, numbers, objects, array items...) in the whole argument. */
  maxValues: 5_000,
  maxDepth: 10
} as const

/** Plain data, as JSON has it: a Date, Map, Set or RegExp survives structured clone but reads as `{}`. */
const isPlain = (item: object): boolean => {
  if (Array.isArray(item)) return true
  const proto: unknown = Object.getPrototypeOf(item)
  return proto === Object.prototype || proto === null
}

/**
 * Why `value` exceeds `argumentLimits` or is not plain data, or null when neither. Stops at the
 * first problem, so it costs little however large the value is.
 */
export function argumentSizeProblem(value: unknown): string | null {
  let chars = 0
  let values = 0
  const tooLarge = `The request is too large (over ${argumentLimits.maxChars.toLocaleString('en')} characters or ${argumentLimits.maxValues.toLocaleString('en')} values) and was not sent.`
  const visit = (item: unknown, depth: number): string | null => {
    values += 1
    if (values > argumentLimits.maxValues) return tooLarge
    if (typeof item === 'string') {
      chars += item.length
      return chars > argumentLimits.maxChars ? tooLarge : null
    }
    if (item === null || typeof item !== 'object') return null
    if (!isPlain(item)) {
      const kind = Object.prototype.toString.call(item).slice(8, -1)
      return `The request holds a ${kind} where plain data was expected, and was not sent.`
    }
    if (depth >= argumentLimits.maxDepth) {
      return `The request is nested too deeply (over ${argumentLimits.maxDepth} levels) and was not sent.`
    }
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue
      chars += key.length
      const problem = visit((item as Record<string, unknown>)[key], depth + 1)
      if (problem) return problem
    }
    return chars > argumentLimits.maxChars ? tooLarge : null
  }
  return visit(value, 0)
}

const baseUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      return false
    }
  }, 'Enter the Dashboard URL with http:// or https://, e.g. https://dashboard.example.com')

const profileFields = {
  name: z.string().trim().min(1, 'Give the profile a name').max(80),
  baseUrl,
  customCa: z.string().max(200_000).nullable().optional(),
  /** The certificate fingerprint the admin confirmed after Test connection showed it. */
  pinnedSha256: z
    .string()
    .trim()
    .regex(/^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i, 'A SHA-256 fingerprint is 32 hex pairs, AA:BB:...')
    .nullable()
    .optional(),
  /** Opt-in to plain http:// for a Dashboard that is not on this machine. */
  allowHttp: z.boolean().optional(),
  pollIntervalSec: z.number().int().min(10).max(3600).optional(),
  notifications: z.boolean().optional(),
  slaWarnHours: z.number().int().min(1).max(8760).optional(),
  slaBreachHours: z.number().int().min(1).max(8760).optional()
}

export const profileInputSchema = z.object({
  ...profileFields,
  /** The Dashboard user's API key. Write-only: never returned by any channel. */
  secret: z.string().min(1, 'Paste the Dashboard API key').max(500),
  /** Keep the secret in memory only (for machines without a keychain). */
  sessionOnly: z.boolean().optional()
})
export type ProfileInput = z.infer<typeof profileInputSchema>

export const profilePatchSchema = z.object({
  id,
  patch: z.object({
    ...profileFields,
    name: profileFields.name.optional(),
    baseUrl: baseUrl.optional(),
    /** Omitted keeps the stored secret. */
    secret: z.string().min(1).max(500).optional(),
    sessionOnly: z.boolean().optional()
  })
})

export const connectionTestArgsSchema = z.union([
  z.object({ id }),
  z.object({ draft: profileInputSchema })
])

export const requestStatusSchema = z.enum(['pending', 'approved'])
export const listArgsSchema = z.object({
  /** Omitted: one inbox across every profile. */
  profileId: id.optional(),
  status: requestStatusSchema,
  /** Fetch from the portal now instead of answering from the cache. */
  refresh: z.boolean().optional()
})
export const requestRefSchema = z.object({ profileId: id, requestId: id })
export const declineArgsSchema = requestRefSchema.extend({
  reason: z.string().trim().max(1000).optional()
})
export const createRequestArgsSchema = z.object({
  profileId: id,
  developerId: id,
  policyIds: z.array(id).min(1, 'Choose at least one policy').max(50),
  fields: z
    .record(z.string().max(100), z.string().max(5000))
    .refine((fields) => Object.keys(fields).length <= 50, 'At most 50 custom fields')
    .optional()
})
export const profileRefSchema = z.object({ profileId: id })
export const keyRefSchema = z.object({ keyId: id })
/** A field of a held credential: main copies it, so the value never comes from the renderer. */
export const keyFieldRefSchema = keyRefSchema.extend({ field: z.enum(credentialFields) })
export const opRefSchema = z.object({ opId: id })
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A day is written YYYY-MM-DD')
/** What to export, for which portals (omitted: all) and which UTC days (inclusive). */
export const exportArgsSchema = z
  .object({
    what: z.enum(exportKinds),
    format: z.enum(exportFormats),
    profileIds: z.array(id).max(200).optional(),
    from: day.optional(),
    to: day.optional()
  })
  .refine((args) => !args.from || !args.to || args.from <= args.to, {
    message: 'The range ends before it starts',
    path: ['to']
  })

/** The most requests one bulk decision (or Undo) may name: a whole backlog, not unbounded. */
export const MAX_BULK_REFS = 1000
const bulkRefs = z.array(requestRefSchema).min(1).max(MAX_BULK_REFS)
export const decideManyArgsSchema = z.object({
  refs: bulkRefs,
  kind: z.enum(['approve', 'decline']),
  /** For a decline: one reason for every request of the batch. */
  reason: z.string().trim().max(1000).optional()
})
export const undoArgsSchema = z.object({ refs: bulkRefs })
export const keysExportArgsSchema = z.object({
  keyIds: z.array(id).min(1).max(MAX_BULK_REFS),
  format: z.enum(['csv', 'json'])
})

export const UNDO_SECONDS_MAX = 30
export const appSettingsSchema = z.object({
  undoSeconds: z.number().int().min(0).max(UNDO_SECONDS_MAX)
})
export const settingsPatchSchema = appSettingsSchema.partial().strict()

export const invokeSchemas = {
  'app:info': noArgs,
  'profiles:list': noArgs,
  'profiles:create': profileInputSchema,
  'profiles:update': profilePatchSchema,
  'profiles:delete': z.object({ id, pendingActions: z.enum(['send', 'cancel']).optional() }),
  'profiles:test': connectionTestArgsSchema,
  'demo:start': noArgs,
  'requests:list': listArgsSchema,
  'requests:get': requestRefSchema,
  'requests:approve': requestRefSchema,
  'requests:decline': declineArgsSchema,
  'requests:decideMany': decideManyArgsSchema,
  'requests:undo': undoArgsSchema,
  'requests:create': createRequestArgsSchema,
  'developers:list': profileRefSchema,
  'policies:list': profileRefSchema,
  'keys:list': noArgs,
  'keys:reveal': keyRefSchema,
  'keys:copy': keyFieldRefSchema,
  'keys:dismiss': keyRefSchema,
  'keys:export': keysExportArgsSchema,
  'outbox:list': noArgs,
  'outbox:retry': opRefSchema,
  'outbox:cancel': opRefSchema,
  'decisions:list': profileRefSchema,
  'decisions:removedPortals': noArgs,
  'settings:get': noArgs,
  'settings:update': settingsPatchSchema,
  'export:save': exportArgsSchema
} as const

/** What each channel answers inside `Result<T>`. */
export interface InvokeResults {
  'app:info': AppInfo
  'profiles:list': ProfileSummary[]
  'profiles:create': Profile
  'profiles:update': Profile
  'profiles:delete': ProfileDeleteResult
  'profiles:test': ConnectionTest
  'demo:start': Profile
  'requests:list': RequestListView
  'requests:get': RequestDetail
  'requests:approve': ActionOutcome
  'requests:decline': ActionOutcome
  'requests:decideMany': DecideManyResult
  'requests:undo': UndoResult
  'requests:create': { id: string }
  'developers:list': Developer[]
  'policies:list': Policy[]
  'keys:list': KeyNotice[]
  'keys:reveal': IssuedCredential
  'keys:copy': CopyReceipt
  'keys:dismiss': null
  'keys:export': KeysExportResult
  'outbox:list': OutboxItem[]
  'outbox:retry': null
  'outbox:cancel': null
  'decisions:list': DecisionLogEntry[]
  'decisions:removedPortals': RemovedPortal[]
  'settings:get': AppSettings
  'settings:update': AppSettings
  'export:save': ExportResult
}

export type InvokeChannel = keyof typeof invokeSchemas
export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof invokeSchemas)[C]>
export type ParsedArgs<C extends InvokeChannel> = z.output<(typeof invokeSchemas)[C]>
export const invokeChannels = Object.keys(invokeSchemas) as InvokeChannel[]

/** Events main pushes to the renderer. */
export interface PushEvents {
  'profiles:changed': ProfileSummary[]
  'requests:changed': { profileIds: string[] }
  'outbox:changed': OutboxItem[]
  'keys:changed': KeyNotice[]
  'connectivity:changed': { profileId: string; connectivity: Connectivity }
  'notification:clicked': { profileId: string; requestId: string }
  /** An application-menu item the renderer acts on (File > Add portal). */
  'menu:command': { command: MenuCommand }
}
export type MenuCommand = 'add-portal'
export type PushChannel = keyof PushEvents
export const pushChannels: PushChannel[] = [
  'profiles:changed',
  'requests:changed',
  'outbox:changed',
  'keys:changed',
  'connectivity:changed',
  'notification:clicked',
  'menu:command'
]

type InvokeFn<C extends InvokeChannel> =
  undefined extends InvokeArgs<C>
    ? (args?: InvokeArgs<C>) => Promise<Result<InvokeResults[C]>>
    : (args: InvokeArgs<C>) => Promise<Result<InvokeResults[C]>>

/** `window.keygate`: one named function per channel, plus `on` for push events. */
export type KeygateApi = { [C in InvokeChannel]: InvokeFn<C> } & {
  on<E extends PushChannel>(event: E, listener: (payload: PushEvents[E]) => void): () => void
}

/** The main-side implementation every binding (Electron IPC, browser harness) forwards to. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (args: ParsedArgs<C>) => Promise<InvokeResults[C]>
}

/** One push event with its payload, as a discriminated union for listeners that forward them all. */
export type PushMessage = { [E in PushChannel]: { event: E; payload: PushEvents[E] } }[PushChannel]
