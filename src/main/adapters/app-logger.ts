import { renameSync, statSync } from 'node:fs'
import path from 'node:path'
import { createFileLogSink } from '../core/logging/file-sink'
import { createLogger, type LogSink } from '../core/logging/logger'
import { createRedactingLogger, type Redactor } from '../core/logging/redactor'
import type { Logger } from '../core/ports'

/** Past this size the log is moved to `keygate.old.log` at start, so it never grows unbounded. */
const rotateAtBytes = 5 * 1024 * 1024

function rotateIfLarge(file: string): void {
  try {
    if (statSync(file).size > rotateAtBytes) renameSync(file, file.replace(/\.log$/, '.old.log'))
  } catch {
    // No log yet (or unreadable): the sink creates a fresh one.
  }
}

/**
 * The app's log: JSON lines in `<logsDir>/keygate.log` (owner-only), also echoed to stderr in
 * development, every line through `redactor` (the one the core registers its secrets with).
 * Returns the logger and the file's path.
 */
export function createAppLogger(
  logsDir: string,
  options: { echo: boolean; redactor: Redactor }
): { logger: Logger; file: string } {
  const file = path.join(logsDir, 'keygate.log')
  rotateIfLarge(file)
  const toFile = createFileLogSink(file)
  const sink: LogSink = options.echo
    ? (line) => {
        toFile(line)
        process.stderr.write(`${line}\n`)
      }
    : toFile
  return { logger: createRedactingLogger(createLogger(sink), options.redactor), file }
}
