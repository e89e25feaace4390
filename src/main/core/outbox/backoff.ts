export interface BackoffPolicy {
  /** Ceiling of the first retry's delay window. */
  baseMs: number
  /** Largest delay window, however many failures came before. */
  capMs: number
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 }

/**
 * Capped exponential backoff with full jitter: a uniform draw from
 * [0, min(cap, base * 2^failures)), so many clients retrying together spread out.
 * `failures` counts earlier consecutive failures (0 for the first retry).
 */
export function fullJitterDelay(
  policy: BackoffPolicy,
  failures: number,
  random: () => number
): number {
  // 2^30 already exceeds any sane cap; bounding the exponent keeps the product finite.
  const window = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(failures, 0), 30))
  return Math.floor(random() * window)
}
