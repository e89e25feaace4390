import type { CoreConfig } from './core-driver'
import { startInProcessHost, startWorkerHost, type CoreHost } from './core-host'

/** Holds the run's current core instance; callers always reach whichever one is alive. */
export class HostKeeper {
  private current: Promise<CoreHost>
  private started = 0

  /** `onHost` sees every instance as it comes up, before anyone calls it. */
  constructor(
    private readonly config: CoreConfig,
    private readonly onHost: (host: CoreHost) => void
  ) {
    this.current = this.start('in-process')
  }

  /** The live instance (or the one starting). */
  host(): Promise<CoreHost> {
    return this.current
  }

  /** After a kill: carry on in a fresh instance of the same kind, on the same store files. */
  restart(kind: CoreHost['kind']): Promise<CoreHost> {
    this.current = this.start(kind)
    return this.current
  }

  /** Moves to an instance of `kind` by a clean stop of the current one (not a kill). */
  async switchTo(kind: CoreHost['kind']): Promise<CoreHost> {
    const host = await this.current
    if (host.kind === kind) return host
    this.current = host.stop().then(() => this.start(kind))
    return this.current
  }

  /** How many instances the run has started. */
  get instances(): number {
    return this.started
  }

  private start(kind: CoreHost['kind']): Promise<CoreHost> {
    this.started += 1
    const label = `core-${this.started}`
    const starting =
      kind === 'in-process'
        ? startInProcessHost(this.config, label)
        : startWorkerHost(this.config, label)
    return starting.then((host) => {
      this.onHost(host)
      return host
    })
  }
}
