import type { z } from 'zod'
import {
  argumentSizeProblem,
  invokeSchemas,
  type InvokeChannel,
  type InvokeHandlers,
  type InvokeResults
} from '../../shared/ipc'
import { AppFailure, type AppError, type Result } from '../../shared/result'
import { toAppError } from '../core/errors'
import type { Logger } from '../core/ports'
import { describeIssues } from './validation-message'

export interface DispatchOptions {
  /** Receives unexpected failures (anything but an AppFailure) with their stack, for the log file. */
  logger?: Logger
}

/** True for the channel names of the contract, and only those (no prototype keys). */
export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeSchemas, value)
}

const failure = (code: AppError['code'], message: string): Result<never> => ({
  ok: false,
  error: { code, message, retryable: false }
})

/**
 * Runs one contract call from an untrusted caller: checks the channel, bounds the argument's
 * size (`argumentLimits`), validates it with the channel's zod schema (VALIDATION listing each field's message), calls the handler and
 * answers a `Result`. It never throws and never puts a stack trace in the answer. Shared by
 * Electron's ipcMain binding and the browser harness.
 */
export async function dispatchInvoke<C extends InvokeChannel>(
  handlers: InvokeHandlers,
  channel: C,
  rawArgs: unknown,
  options?: DispatchOptions
): Promise<Result<InvokeResults[C]>>
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  channel: string,
  rawArgs: unknown,
  options?: DispatchOptions
): Promise<Result<unknown>>
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  channel: string,
  rawArgs: unknown,
  options: DispatchOptions = {}
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return failure('VALIDATION', `Unknown request "${String(channel).slice(0, 60)}".`)
  }
  const tooLarge = argumentSizeProblem(rawArgs)
  if (tooLarge) return failure('VALIDATION', tooLarge)
  const schema: z.ZodType = invokeSchemas[channel]
  const parsed = schema.safeParse(rawArgs)
  if (!parsed.success) return failure('VALIDATION', describeIssues(parsed.error.issues))
  const handler = handlers[channel] as (args: unknown) => Promise<unknown>
  try {
    return { ok: true, value: await handler(parsed.data) }
  } catch (cause) {
    const error = toAppError(cause)
    if (!(cause instanceof AppFailure)) {
      options.logger?.error(`${channel} failed unexpectedly`, {
        channel,
        code: error.code,
        error: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)
      })
    }
    return { ok: false, error }
  }
}
