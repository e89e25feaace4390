import type { Clock, Logger } from '../ports'
import { systemClock } from '../ports'

export type LogLevel = 'info' | 'warn' | 'error'

/** Receives one finished JSON line (no trailing newline). */
export type LogSink = (line: string) => void

/** JSON can't hold an Error's fields (they are not enumerable), so spell them out. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message }
  if (typeof value === 'bigint') return value.toString()
  return value
}

/**
 * A Logger that writes one JSON object per line: `{time, level, msg, data?}`. It formats only;
 * wrap it with `createRedactingLogger` so registered secrets never reach the sink.
 */
export function createLogger(sink: LogSink, clock: Clock = systemClock): Logger {
  const write = (level: LogLevel, message: string, data?: Record<string, unknown>): void => {
    const entry = {
      time: new Date(clock.now()).toISOString(),
      level,
      msg: message,
      ...(data ? { data } : {})
    }
    let line: string
    try {
      line = JSON.stringify(entry, jsonSafe)
    } catch {
      line = JSON.stringify({ time: entry.time, level, msg: message, data: '[unserialisable]' })
    }
    try {
      sink(line)
    } catch {
      // Logging must never take the app down with it.
    }
  }
  return {
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data)
  }
}
