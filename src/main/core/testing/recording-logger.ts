import type { Logger } from '../ports'

export interface LogLine {
  level: 'info' | 'warn' | 'error'
  message: string
  data?: Record<string, unknown>
}

/** Captures log lines for assertions. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = []
  info(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, data })
  }
  warn(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, data })
  }
  error(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, data })
  }
}
