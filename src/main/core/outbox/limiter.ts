/** Counts permits so at most `size` holders run at once; waiters are served in arrival order. */
export class Semaphore {
  private available: number
  private readonly waiting: (() => void)[] = []

  constructor(size: number) {
    this.available = size
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.available += 1
  }
}
