import type { KeyValueStore } from '../../ports'

/** A KeyValueStore that keeps JSON text, as a file would, and counts writes. */
export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, string>()
  writes = 0

  get<T>(key: string): T | undefined {
    const raw = this.data.get(key)
    return raw === undefined ? undefined : (JSON.parse(raw) as T)
  }

  set(key: string, value: unknown): void {
    this.writes += 1
    this.data.set(key, JSON.stringify(value))
  }

  delete(key: string): void {
    this.data.delete(key)
  }

  /** Everything stored, as text, for scanning. */
  dump(): string {
    return [...this.data.values()].join('\n')
  }

  /** The file as it is now, as a process that crashed at this moment would leave it. */
  clone(): MemoryStore {
    const copy = new MemoryStore()
    for (const [key, value] of this.data) copy.data.set(key, value)
    return copy
  }
}
