import { describe, expect, it } from 'vitest'
import { fullJitterDelay } from './backoff'

const policy = { baseMs: 1_000, capMs: 60_000 }

describe('fullJitterDelay', () => {
  it('draws from [0, min(cap, base * 2^failures))', () => {
    for (let failures = 0; failures < 12; failures += 1) {
      const window = Math.min(policy.capMs, policy.baseMs * 2 ** failures)
      expect(fullJitterDelay(policy, failures, () => 0)).toBe(0)
      expect(fullJitterDelay(policy, failures, () => 0.5)).toBe(Math.floor(window / 2))
      const top = fullJitterDelay(policy, failures, () => 0.999_999)
      expect(top).toBeLessThan(window)
      expect(top).toBeGreaterThanOrEqual(window - 1)
    }
  })

  it('stays at the cap however many failures came before', () => {
    expect(fullJitterDelay(policy, 10_000, () => 0.999_999)).toBeLessThan(policy.capMs)
    expect(fullJitterDelay(policy, 10_000, () => 0.999_999)).toBeGreaterThan(policy.capMs - 2)
  })

  it('spreads retries over the window with a seeded random source', () => {
    let seed = 7
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647
      return (seed - 1) / 2_147_483_646
    }
    const delays = Array.from({ length: 200 }, () => fullJitterDelay(policy, 3, random))
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...delays)).toBeLessThan(8_000)
    expect(new Set(delays).size).toBeGreaterThan(150)
  })
})
