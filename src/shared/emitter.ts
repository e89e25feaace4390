/**
 * Listener fan-out: every listener hears every value, in the order they subscribed. A listener
 * that throws is reported to `onListenerError` and the others still hear the value, so one
 * broken subscriber cannot stop a push, a profile change or a keychain recovery reaching the rest.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>()

  constructor(private readonly onListenerError: (error: unknown, value: T) => void) {}

  /** Subscribes; answers the unsubscribe. A listener already subscribed is not added twice. */
  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  emit(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value)
      } catch (error) {
        this.onListenerError(error, value)
      }
    }
  }
}
