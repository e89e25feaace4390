import { z } from 'zod'
import type { EmulatorFaults, EmulatorSwitches } from './types'

export const defaultSwitches: Readonly<EmulatorSwitches> = Object.freeze({
  pageSize: 10,
  pZero: 'all',
  pagesWhenAll: 'ceil',
  sortOrder: 'newest-first',
  strictPageParam: false,
  meta: 'null',
  emptyData: 'array',
  rawKeyFormat: 'base64-json',
  hashKeys: true,
  guardDoubleApprove: true,
  secureKeyApproval: false,
  secureKeyResponse: 'raw-key',
  hmacReturnsSecret: false,
  acceptBearer: false,
  approveEventName: 'key_request_event.approved',
  webhookRetries: 0,
  approveMissingDeveloper: 'reject',
  approveMissingPolicy: 'reject',
  approveUnknownId: 'not-found',
  strictIds: false,
  createValidatesPolicy: true,
  updateMessage: 'id',
  existingKeyApproval: 'update-existing',
  deleteRevokesKey: false,
  policyAccess: 'read',
  policyIdField: 'empty'
})

export const defaultFaults: Readonly<EmulatorFaults> = Object.freeze<EmulatorFaults>({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 500,
  errorMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  retryAfterSec: 0,
  dropRate: 0,
  dropAfterCommitRate: 0,
  errorAfterCommitRate: 0,
  offline: false,
  authFail: false,
  errorEcho: 'none'
})

const rate = z.number().min(0).max(1)
const millis = z.number().int().min(0).max(600_000)

export const switchesSchema = z
  .object({
    pageSize: z.number().int().min(1).max(100_000),
    pZero: z.enum(['all', 'first-page']),
    pagesWhenAll: z.enum(['ceil', 'zero']),
    sortOrder: z.enum(['newest-first', 'oldest-first']),
    strictPageParam: z.boolean(),
    meta: z.enum(['null', 'empty-string']),
    emptyData: z.enum(['array', 'null']),
    rawKeyFormat: z.enum(['legacy', 'base64-json']),
    hashKeys: z.boolean(),
    guardDoubleApprove: z.boolean(),
    secureKeyApproval: z.boolean(),
    secureKeyResponse: z.enum(['raw-key', 'no-key']),
    hmacReturnsSecret: z.boolean(),
    acceptBearer: z.boolean(),
    approveEventName: z.string().max(200),
    webhookRetries: z.number().int().min(0).max(10),
    approveMissingDeveloper: z.enum(['reject', 'allow']),
    approveMissingPolicy: z.enum(['reject', 'allow']),
    approveUnknownId: z.enum(['not-found', 'empty-500']),
    strictIds: z.boolean(),
    createValidatesPolicy: z.boolean(),
    updateMessage: z.enum(['id', 'data-updated']),
    existingKeyApproval: z.enum(['update-existing', 'issue-new']),
    deleteRevokesKey: z.boolean(),
    policyAccess: z.enum(['read', 'none']),
    policyIdField: z.enum(['empty', 'mirror'])
  })
  .strict() satisfies z.ZodType<EmulatorSwitches>

export const faultsSchema = z
  .object({
    latencyMs: millis,
    jitterMs: millis,
    errorRate: rate,
    errorStatus: z.number().int().min(400).max(599),
    errorMethods: z.array(z.enum(['GET', 'POST', 'PUT', 'DELETE'])).max(4),
    // Far beyond a day on purpose: clients must survive absurd Retry-After values.
    retryAfterSec: z.number().int().min(0).max(1e14),
    dropRate: rate,
    dropAfterCommitRate: rate,
    errorAfterCommitRate: rate,
    offline: z.boolean(),
    authFail: z.boolean(),
    errorEcho: z.enum(['none', 'request', 'answer'])
  })
  .strict() satisfies z.ZodType<EmulatorFaults>

export const switchesPatchSchema = switchesSchema.partial()
export const faultsPatchSchema = faultsSchema.partial()

/** Validates a partial switch set; throws an Error naming the bad fields. */
export function parseSwitchesPatch(input: unknown): Partial<EmulatorSwitches> {
  return parseOrThrow(switchesPatchSchema, input, 'switches')
}

/** Validates a partial fault set; throws an Error naming the bad fields. */
export function parseFaultsPatch(input: unknown): Partial<EmulatorFaults> {
  return parseOrThrow(faultsPatchSchema, input, 'faults')
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')
    throw new Error(`Invalid ${what}: ${detail}`)
  }
  return parsed.data
}
