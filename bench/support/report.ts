import os from 'node:os'
import { machine, type Machine } from './machine'

/** A target beside a figure; `met` is computed, never asserted. */
export interface Target {
  op: '<' | '<=' | '>='
  value: number
}

export interface Figure {
  name: string
  value: number
  unit: string
  target: Target | null
  met: boolean | null
  note?: string
}

/** What every benchmark prints as the last line of its stdout. */
export interface BenchResult {
  bench: string
  machine: Machine
  /** Load averages when the benchmark finished. */
  loadAverageAtEnd: number[]
  elapsedSec: number
  figures: Figure[]
  /** Parts that could not run here, with the reason (never faked). */
  skipped: string[]
  details: Record<string, unknown>
}

export function figure(
  name: string,
  value: number,
  unit: string,
  target: Target | null = null,
  note?: string
): Figure {
  let met: boolean | null = null
  if (target) {
    if (target.op === '<') met = value < target.value
    else if (target.op === '<=') met = value <= target.value
    else met = value >= target.value
  }
  return { name, value, unit, target, met, ...(note ? { note } : {}) }
}

/** Collects a benchmark's output and prints it as one JSON line (the runner reads the last line). */
export function startReport(bench: string): {
  finish(figures: Figure[], details: Record<string, unknown>, skipped?: string[]): void
} {
  const startedAt = Date.now()
  const info = machine()
  return {
    finish(figures, details, skipped = []) {
      for (const reason of skipped) progress(bench, `skipped: ${reason}`)
      const result: BenchResult = {
        bench,
        machine: info,
        loadAverageAtEnd: os.loadavg().map((value) => Math.round(value * 100) / 100),
        elapsedSec: Math.round((Date.now() - startedAt) / 100) / 10,
        figures,
        skipped,
        details
      }
      process.stdout.write(`${JSON.stringify(result)}\n`)
    }
  }
}

/** Progress for humans goes to stderr, so stdout stays one JSON line. */
export function progress(bench: string, message: string): void {
  process.stderr.write(`[${bench}] ${message}\n`)
}

/**
 * Runs a benchmark's main; a crash prints the error and exits 1 (the runner reports it). A
 * SIGTERM or SIGINT (the runner's timeout, Ctrl-C) exits too, so exit handlers stop emulators.
 */
export function runBench(main: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(1))
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
      )
      process.exit(1)
    }
  )
}
