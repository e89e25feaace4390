import { appendFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { LogSink } from './logger'

/** Appends each line to `file` (created owner-only), for the app's log file on disk. */
export function createFileLogSink(file: string): LogSink {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  return (line) => appendFileSync(file, `${line}\n`, { mode: 0o600 })
}
