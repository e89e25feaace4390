import { ZodError } from 'zod'
import { AppFailure, type AppError } from '../../shared/result'

const internal: AppError = {
  code: 'INTERNAL',
  message: 'Something went wrong inside Keygate. Try again; if it keeps happening, check the log.',
  retryable: false
}

/**
 * Turns anything thrown inside the core into an `AppError` fit for the UI. An `AppFailure`
 * keeps its code and message, a zod error becomes VALIDATION with its first issue, and anything
 * else becomes a generic INTERNAL error: a raw exception message may carry internals (paths,
 * payloads) the renderer has no business seeing.
 */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppFailure) return { ...e.error }
  if (e instanceof ZodError) {
    const issue = e.issues[0]
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
    return {
      code: 'VALIDATION',
      message: issue ? `${issue.message}${where}` : 'Invalid input',
      retryable: false
    }
  }
  return { ...internal }
}
