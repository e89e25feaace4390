import type { Logger, Notifier } from '../../src/main/core/ports'

/** Benchmarks keep logs out of the measurement; warnings and errors still reach stderr. */
export const quietLogger: Logger = {
  info: () => {},
  warn: (message, data) => process.stderr.write(`warn: ${message} ${JSON.stringify(data ?? {})}\n`),
  error: (message, data) =>
    process.stderr.write(`error: ${message} ${JSON.stringify(data ?? {})}\n`)
}

/** Counts notifications instead of showing them. */
export function countingNotifier(): Notifier & { shown: number } {
  const notifier = {
    shown: 0,
    isSupported: () => true,
    show: () => {
      notifier.shown += 1
    }
  }
  return notifier
}
