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

/** Runs `task` over `items` with at most `limit` tasks in flight. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>
): Promise<void> {
  let index = 0
  const worker = async (): Promise<void> => {
    while (index < items.length) {
      const item = items[index] as T
      index += 1
      await task(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
