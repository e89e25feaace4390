/**
 * Delivers `key_request_event.*` webhooks (README, Webhooks): a JSON POST of `{"event","data"}`,
 * unsigned, fire and forget, so a slow receiver never delays the API answer that triggered it.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>()
  private readonly abort = new AbortController()

  constructor(
    private readonly url: string | undefined,
    private readonly retries: () => number,
    private readonly onError: (message: string) => void
  ) {}

  /** `data` renders the key request with its embeds; it is only called when a hook is set. */
  send(event: string, data: () => Buffer): void {
    if (!this.url || event === '') return
    const body = Buffer.concat([
      Buffer.from(`{"event":${JSON.stringify(event)},"data":`),
      data(),
      Buffer.from('}')
    ])
    const delivery = this.deliver(this.url, body, this.retries()).finally(() => {
      this.inFlight.delete(delivery)
    })
    this.inFlight.add(delivery)
  }

  /** Cancels deliveries under way and any retries still waiting. */
  async close(): Promise<void> {
    this.abort.abort()
    await Promise.allSettled([...this.inFlight])
  }

  private async deliver(url: string, body: Buffer, retries: number): Promise<void> {
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.abort.signal.aborted) return
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(5_000)])
        })
        await response.arrayBuffer()
        if (response.ok) return
        this.onError(`webhook ${url} answered ${response.status}`)
      } catch (error) {
        if (this.abort.signal.aborted) return
        this.onError(
          `webhook ${url} failed: ${error instanceof Error ? error.message : String(error)}`
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)))
    }
  }
}
