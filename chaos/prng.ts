/**
 * The chaos run's only source of randomness (mulberry32). Each concern draws from its own
 * stream, forked by name, so changing how often the rival acts does not reshuffle the actions.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [0, n). */
  int(n: number): number
  /** Integer in [min, max]. */
  between(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** An independent stream derived from this one's seed and `label`. */
  fork(label: string): Prng
}

/** FNV-1a over the label, mixed with the parent seed. */
function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** A seeded stream: the same seed gives the same decisions on every machine. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick needs a non-empty list')
      return items[int(items.length)] as T
    },
    fork: (label) => createPrng(deriveSeed(seed, label))
  }
}
