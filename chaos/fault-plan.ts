import { defaultFaults, type EmulatorFaults } from '../emulator/index'
import type { Prng } from './prng'

export const faultKinds = [
  'latency',
  'errors',
  'rate-limit',
  'drops',
  'drop-after-commit',
  'offline',
  'auth',
  'mixed'
] as const
/** Added later, drawn only when asked for, so seeded runs of the classic kinds stay as they were. */
export const newerFaultKinds = ['write-errors', 'extreme-retry-after'] as const
export const allFaultKinds = [...faultKinds, ...newerFaultKinds] as const
export type FaultKind = 'calm' | (typeof allFaultKinds)[number]

/** A complete fault set for one emulator for one epoch. */
export interface FaultSetting {
  kind: FaultKind
  faults: EmulatorFaults
}

/** Ceiling of injected latency + jitter, so a call sent before a window has landed after it. */
export const MAX_FAULT_DELAY_MS = 200

/** No fault, but a little latency so calls overlap as they do against a real Dashboard. */
const calm: EmulatorFaults = { ...defaultFaults, latencyMs: 1, jitterMs: 4 }

/** The setting every emulator starts the run with. */
export const calmSetting = (): FaultSetting => ({ kind: 'calm', faults: { ...calm } })

/** True while the portal answers nothing useful at all: connections refused, or every call 401. */
export const isWindow = (kind: FaultKind): boolean => kind === 'offline' || kind === 'auth'

/** Draws one emulator's faults for an epoch: calm, or with probability `rate` one fault kind. */
export function drawFaultSetting(
  rng: Prng,
  rate: number,
  kinds: readonly Exclude<FaultKind, 'calm'>[] = faultKinds
): FaultSetting {
  const faulty = rng.chance(rate)
  const kind = rng.pick(kinds)
  const a = rng.next()
  const b = rng.next()
  if (!faulty) return { kind: 'calm', faults: { ...calm } }
  switch (kind) {
    case 'latency':
      return {
        kind,
        faults: { ...calm, latencyMs: 20 + Math.floor(a * 100), jitterMs: Math.floor(b * 80) }
      }
    case 'errors':
      return {
        kind,
        faults: {
          ...calm,
          errorRate: 0.1 + a * 0.4,
          errorStatus: [500, 502, 503][Math.floor(b * 3)] ?? 500
        }
      }
    case 'rate-limit':
      return {
        kind,
        faults: { ...calm, errorRate: 0.2 + a * 0.3, errorStatus: 429, retryAfterSec: 1 }
      }
    case 'drops':
      return { kind, faults: { ...calm, dropRate: 0.1 + a * 0.3 } }
    case 'drop-after-commit':
      return { kind, faults: { ...calm, dropAfterCommitRate: 0.1 + a * 0.4 } }
    case 'offline':
      return { kind, faults: { ...calm, offline: true } }
    case 'auth':
      return { kind, faults: { ...calm, authFail: true } }
    case 'write-errors': {
      // Reads answer while approves and DELETEs fail. A 503 is a refusal before any work; a 500,
      // 502 or 504 may also come after the Dashboard applied the write.
      const errorStatus = [500, 502, 503, 504][Math.floor(b * 4)] ?? 500
      return {
        kind,
        faults: {
          ...calm,
          errorMethods: ['PUT', 'DELETE'],
          errorRate: 0.2 + a * 0.4,
          errorAfterCommitRate: errorStatus === 503 ? 0 : 0.1 + b * 0.2,
          errorStatus
        }
      }
    }
    case 'extreme-retry-after':
      // A Retry-After far beyond a day: clamped, it must neither storm nor break a timer.
      return {
        kind,
        faults: {
          ...calm,
          errorMethods: ['PUT', 'DELETE'],
          errorRate: 0.05 + a * 0.1,
          errorStatus: 429,
          retryAfterSec: 99_999_999_999_999
        }
      }
    case 'mixed':
      return {
        kind,
        faults: {
          ...calm,
          latencyMs: 5 + Math.floor(a * 30),
          jitterMs: 20,
          errorRate: 0.1,
          dropRate: 0.1 + b * 0.1,
          dropAfterCommitRate: 0.15
        }
      }
  }
}
