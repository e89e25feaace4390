import type { Logger } from '../ports'

export const REDACTED = '[redacted]'

/** Shorter values are too likely to occur by chance; real secrets and keys are far longer. */
const MIN_LENGTH = 4
const MAX_DEPTH = 8

export interface Redactor {
  /** Remember a secret or issued credential so it is scrubbed from everything logged after. */
  register(value: string | null | undefined): void
  /** A copy of `value` with every registered secret replaced by `[redacted]`. */
  scrub<T>(value: T): T
}

/** Holds every secret the core has seen and scrubs them out of strings and plain data. */
export function createRedactor(): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  let secrets: string[] = []

  const scrubString = (text: string): string => {
    let out = text
    for (const secret of secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    }
    return out
  }

  const scrubAny = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return scrubString(value)
    if (value === null || typeof value !== 'object') return value
    if (depth >= MAX_DEPTH) return '[truncated]'
    if (value instanceof Error) {
      return { name: value.name, message: scrubString(value.message) }
    }
    if (Array.isArray(value)) return value.map((item) => scrubAny(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = scrubAny(item, depth + 1)
    return out
  }

  return {
    register(value) {
      if (!value || value.length < MIN_LENGTH || secrets.includes(value)) return
      secrets = [...secrets, value].sort((a, b) => b.length - a.length)
    },
    scrub: <T>(value: T): T => scrubAny(value, 0) as T
  }
}

/** Wraps a Logger so that nothing registered with `redactor` reaches it. */
export function createRedactingLogger(inner: Logger, redactor: Redactor): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, data?: Record<string, unknown>): void =>
      inner[level](redactor.scrub(message), data === undefined ? undefined : redactor.scrub(data))
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error') }
}
