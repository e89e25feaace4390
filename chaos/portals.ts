import { startEmulator, type RunningEmulator } from '../emulator/index'

/** Seeded dates are anchored here, so a seed gives the same portal data on every run. */
const SEED_NOW = Date.UTC(2025, 5, 1)
/** Fresh requests kept ahead of the admin, so actions never run out of pending work. */
const HEADROOM = 60

/**
 * One emulated Dashboard of the run and the request ids the run knows there, in the order it
 * meets them (seeded pending first, then generated). Targets are picked by position in this
 * list, not from the live pending list, so a seed reproduces the choices.
 */
export class ChaosPortal {
  /** Every id the run knows on this portal, oldest-known first. */
  readonly known: string[]
  /** Position of the next request the admin has not looked at yet. */
  cursor = 0
  /** Requests the admin acted on lately (repeats and approve-then-decline come from here). */
  readonly recent: string[] = []
  /** Requests the admin asked Keygate to decline, ever. */
  readonly declined = new Set<string>()

  constructor(
    readonly index: number,
    readonly emu: RunningEmulator
  ) {
    this.known = emu.control.requestIds({ approved: false })
  }

  /** The next request nobody in the run has touched; tops the emulator up as needed. */
  fresh(): string {
    this.topUp()
    const id = this.known[this.cursor] as string
    this.cursor += 1
    return id
  }

  /** A request the admin has not reached yet (`ahead` places past the cursor). */
  upcoming(ahead: number): string {
    this.topUp(ahead)
    return this.known[this.cursor + ahead] as string
  }

  /** Notes an action of the admin on `id`. */
  acted(id: string, kind: 'approve' | 'decline'): void {
    if (kind === 'decline') this.declined.add(id)
    this.recent.push(id)
    if (this.recent.length > 40) this.recent.shift()
  }

  private topUp(extra = 0): void {
    while (this.known.length - this.cursor < HEADROOM + extra) {
      this.known.push(...this.emu.control.generatePending(HEADROOM))
    }
  }
}

/** Starts one emulator per profile, double-approve guard off, with seeded pending requests. */
export async function startPortals(count: number, seed: number): Promise<ChaosPortal[]> {
  const portals: ChaosPortal[] = []
  for (let i = 0; i < count; i++) {
    const emu = await startEmulator({
      port: 0,
      secret: `chaos-secret-${seed}-${i + 1}`,
      seed: seed * 101 + i,
      seedNow: SEED_NOW,
      seedPending: 120,
      seedApproved: 5,
      switches: { guardDoubleApprove: false }
    })
    portals.push(new ChaosPortal(i, emu))
  }
  return portals
}
