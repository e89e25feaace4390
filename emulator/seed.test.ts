import { describe, expect, it } from 'vitest'
import { seedData } from './seed'
import { defaultSwitches } from './settings'
import { seedNow } from './test-support'
import type { EmulatorData, JsonObject } from './types'

const day = 86_400_000

function seed(seedValue: number, pending = 25, approved = 10): EmulatorData {
  return seedData({
    seed: seedValue,
    pending,
    approved,
    now: seedNow,
    switches: { ...defaultSwitches }
  })
}

describe('seed data', () => {
  it('is deterministic: the same seed and anchor give the same documents', () => {
    expect(seed(7)).toEqual(seed(7))
    expect(seed(8).requests).not.toEqual(seed(7).requests)
  })

  it('has the requested numbers of pending and approved requests', () => {
    const data = seed(3, 12, 4)
    expect(data.requests.filter((r) => r.approved === false)).toHaveLength(12)
    expect(data.requests.filter((r) => r.approved === true)).toHaveLength(4)
  })

  it('dates every request within the 30 days before the anchor', () => {
    for (const request of seed(7).requests) {
      const age = seedNow - Date.parse(String(request.date_created))
      expect(age).toBeGreaterThanOrEqual(0)
      expect(age).toBeLessThan(30 * day)
    }
  })

  it('gives developers realistic, unique emails', () => {
    const emails = seed(7).developers.map((d) => String(d.email))
    expect(new Set(emails).size).toBe(emails.length)
    for (const email of emails) expect(email).toMatch(/^[a-z][a-z.+0-9]*@[a-z0-9.-]+\.[a-z]{2,}$/)
  })

  it('fills reason, company and use case on every request', () => {
    for (const request of seed(7).requests) {
      expect(Object.keys(request.fields as JsonObject)).toEqual(
        expect.arrayContaining(['reason', 'company', 'use_case'])
      )
    }
  })

  it('includes a few legacy for_plan-only requests', () => {
    const legacy = seed(7).requests.filter((r) => !('apply_policies' in r))
    expect(legacy.length).toBeGreaterThanOrEqual(2)
    expect(legacy.length).toBeLessThanOrEqual(8)
    for (const r of legacy) expect(r.for_plan).toMatch(/^[0-9a-f]{24}$/)
  })

  it('records a key on the developer of every seeded approved request', () => {
    const data = seed(7)
    for (const request of data.requests.filter((r) => r.approved === true)) {
      const keys = data.keys.filter((k) => k.requestId === request.id)
      expect(keys).toHaveLength(1)
      const developer = data.developers.find((d) => d.id === request.by_user) as JsonObject
      const recorded =
        keys[0]?.authType === 'oauth'
          ? JSON.stringify(developer.oauth_clients)
          : Object.keys(developer.keys as JsonObject).join(',')
      expect(recorded).toContain(keys[0]?.keyId)
    }
  })
})
