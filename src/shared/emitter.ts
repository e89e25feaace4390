/**
 * A typed set of listeners. A listener that throws is reported through `onError` and does not
 * keep the others from hearing the event.
 */
export class Emitter<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>()

  constructor(private readonly onError: (thrown: unknown) => void) {}

  /** Adds a listener; the function returned removes it. */
  subscribe(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  emit(...args: Args): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args)
      } catch (thrown) {
        this.onError(thrown)
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
