import { Rng } from './prng'
import { defaultFaults, parseFaultsPatch } from './settings'
import type { EmulatorFaults } from './types'

/** What to do to one /api request, decided when it arrives. */
export interface FaultPlan {
  delayMs: number
  action: 'none' | 'auth-fail' | 'drop' | 'error' | 'drop-after-commit' | 'error-after-commit'
}

/** Holds the active faults and draws each request's fate from a seeded PRNG. */
export class FaultInjector {
  private current: EmulatorFaults = { ...defaultFaults }
  private readonly rng: Rng

  constructor(
    seed: number,
    private readonly onOfflineChange: (offline: boolean) => void
  ) {
    this.rng = new Rng(seed ^ 0x5bd1e995)
  }

  get faults(): EmulatorFaults {
    return { ...this.current, errorMethods: [...this.current.errorMethods] }
  }

  /** Validates and merges `patch`; throws an Error naming bad fields. */
  set(patch: Partial<EmulatorFaults>): void {
    const valid = parseFaultsPatch(patch)
    const wasOffline = this.current.offline
    this.current = { ...this.current, ...valid }
    if (this.current.offline !== wasOffline) this.onOfflineChange(this.current.offline)
  }

  clear(): void {
    this.set({ ...defaultFaults })
  }

  /** Draws the fate of one request; `method` decides whether the injected errors apply. */
  plan(method = 'GET'): FaultPlan {
    const f = this.current
    const delayMs = f.latencyMs + (f.jitterMs > 0 ? this.rng.next() * f.jitterMs : 0)
    const errors = (f.errorMethods as string[]).includes(method)
    let action: FaultPlan['action'] = 'none'
    if (f.authFail) action = 'auth-fail'
    else if (f.dropRate > 0 && this.rng.chance(f.dropRate)) action = 'drop'
    else if (errors && f.errorRate > 0 && this.rng.chance(f.errorRate)) action = 'error'
    else if (f.dropAfterCommitRate > 0 && this.rng.chance(f.dropAfterCommitRate)) {
      action = 'drop-after-commit'
    } else if (errors && f.errorAfterCommitRate > 0 && this.rng.chance(f.errorAfterCommitRate)) {
      action = 'error-after-commit'
    }
    return { delayMs, action }
  }
}
