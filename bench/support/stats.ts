/** Small statistics helpers for benchmark samples. */

export interface Summary {
  n: number
  min: number
  p50: number
  p95: number
  max: number
  mean: number
}

/** Rounds to `digits` decimals (1 by default), for readable JSON. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Nearest-rank percentile (p in 0..100) of `values`; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** n, min, p50, p95, max and mean, rounded to `digits` decimals. */
export function summarize(values: readonly number[], digits = 1): Summary {
  const mean = values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length
  return {
    n: values.length,
    min: round(values.length === 0 ? 0 : Math.min(...values), digits),
    p50: round(percentile(values, 50), digits),
    p95: round(percentile(values, 95), digits),
    max: round(values.length === 0 ? 0 : Math.max(...values), digits),
    mean: round(mean, digits)
  }
}

/** CPU time (user + system) this process used while `task` ran, in ms, with its result. */
export async function withCpu<T>(task: () => Promise<T>): Promise<{ cpuMs: number; value: T }> {
  const before = process.cpuUsage()
  const value = await task()
  const used = process.cpuUsage(before)
  return { cpuMs: (used.user + used.system) / 1000, value }
}

/** Decimal megabytes (10^6 bytes), one decimal. */
export const megabytes = (bytes: number): number => round(bytes / 1e6, 1)
