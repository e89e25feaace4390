import type { Clock, KeyValueStore, Logger } from '../ports'

export interface DeferredWriterOptions {
  store: KeyValueStore
  clock: Clock
  logger: Logger
  /** The one store key this writer owns. */
  key: string
  /** Builds the value to persist; called only when a write actually happens. */
  snapshot: () => unknown
  /** Delay between the first change and the write, so changes close together cost one write. */
  delayMs: number
}

/**
 * Writes one store key at most once per `delayMs`, and only after something changed. The app's
 * stores (conf / electron-store) re-read, re-parse and rewrite the whole file on every `set`, so
 * a poll that changes nothing must not touch the store, and changes close together share a write.
 */
export class DeferredWriter {
  private dirty = false
  private cancelTimer: (() => void) | null = null

  constructor(private readonly options: DeferredWriterOptions) {}

  /**
   * Records a change. `urgent` (the default) schedules a write; a non-urgent change (a newer
   * fetch time on an unchanged list) waits for the next scheduled write or `flush()`.
   */
  markDirty(urgent = true): void {
    this.dirty = true
    if (!urgent || this.cancelTimer) return
    this.cancelTimer = this.options.clock.setTimeout(() => {
      this.cancelTimer = null
      this.flush()
    }, this.options.delayMs)
  }

  /** Writes now if anything changed; a failed write is logged and retried by the next flush. */
  flush(): void {
    this.cancelTimer?.()
    this.cancelTimer = null
    if (!this.dirty) return
    this.dirty = false
    try {
      this.options.store.set(this.options.key, this.options.snapshot())
    } catch (cause) {
      this.dirty = true
      this.options.logger.error('Could not write the sync store', {
        key: this.options.key,
        message: cause instanceof Error ? cause.message : String(cause)
      })
    }
  }
}
