import { z } from 'zod'

/** Closed set of error codes that cross IPC; the renderer picks wording and actions from them. */
export const errorCodes = [
  'OFFLINE',
  'TIMEOUT',
  'TLS',
  'AUTH_REJECTED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'BAD_REQUEST',
  'RATE_LIMITED',
  'SERVER_ERROR',
  'INVALID_RESPONSE',
  'KEYCHAIN_UNAVAILABLE',
  'VALIDATION',
  'INTERNAL'
] as const

export type ErrorCode = (typeof errorCodes)[number]

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryable: z.boolean()
})

/** An error a user can act on: `message` is a full sentence fit for the UI, never a stack trace. */
export type AppError = z.infer<typeof appErrorSchema>

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })

export const err = (code: ErrorCode, message: string, retryable = false): Result<never> => ({
  ok: false,
  error: { code, message, retryable }
})

/** Thrown inside main/core and turned into `{ ok: false, error }` at the IPC edge. */
export class AppFailure extends Error {
  readonly error: AppError
  constructor(code: ErrorCode, message: string, retryable = false) {
    super(message)
    this.name = 'AppFailure'
    this.error = { code, message, retryable }
  }
}
