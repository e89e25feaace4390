import { MemoryStore } from './memory-store'

/** Fails the next write, as a full disk would. */
export class FailOnceStore extends MemoryStore {
  failNext = false

  override set(key: string, value: unknown): void {
    if (this.failNext) {
      this.failNext = false
      throw new Error('ENOSPC: no space left on device')
    }
    super.set(key, value)
  }
}
