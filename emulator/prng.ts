/** A small seeded PRNG (mulberry32): the same seed gives the same data on every machine. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error('Rng.pick needs a non-empty list')
    return item
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  hex(length: number): string {
    let out = ''
    while (out.length < length) out += this.int(0x10000).toString(16).padStart(4, '0')
    return out.slice(0, length)
  }
}

/** A Mongo-style ObjectId: 8 hex of creation seconds, then 16 hex from `tail`. */
export function objectId(epochMs: number, tail: string): string {
  const seconds = Math.floor(epochMs / 1000) >>> 0
  return seconds.toString(16).padStart(8, '0') + tail.padStart(16, '0').slice(-16)
}
