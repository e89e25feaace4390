/**
 * A fuzz corpus of odd Dashboard list answers, served over real HTTP and read through the real
 * client and sync service: whatever an entry holds, nothing crashes, and every entry is either
 * shown as a request or quarantined as an unreadable one, once.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeTransport } from '../../http/node-transport'
import { SyncService } from '../../sync/sync-service'
import { FakeClock } from '../../testing/fake-clock'
import { RecordingLogger } from '../../testing/recording-logger'
import { fakeStores } from '../../testing/fake-store'
import { testProfile } from '../../../../shared/testing/profile'
import { RecordingNotifier } from '../../testing/recording-notifier'
import { startScriptedDashboard, type ScriptedDashboard } from '../test-dashboard'
import { createTykClassicClient } from './tyk-classic-client'

const CORPUS_RUNS = 320

/** Values a broken or hostile Dashboard might put in any field. */
const oddValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant('false'),
  fc.constant(''),
  fc.constant('0001-01-01T00:00:00Z'),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant('x'.repeat(5_000))
)

const fieldNames = [
  'id',
  '_id',
  'approved',
  'by_user',
  'date_created',
  'apply_policies',
  'for_plan',
  'fields',
  'portal_developer',
  'catalogue_entry',
  'catalogues',
  'version',
  'oauth_info',
  '__proto__'
]

/** A plausible request, then some of its fields replaced by odd values or removed. */
const oddEntry = fc
  .record({
    n: fc.nat(1_000_000),
    changes: fc.array(
      fc.record({
        field: fc.constantFrom(...fieldNames),
        value: fc.option(oddValue, { nil: undefined })
      }),
      { maxLength: 4 }
    ),
    depth: fc.constantFrom(0, 0, 0, 40, 2_000)
  })
  .map(({ n, changes, depth }) => {
    let nested = '"leaf"'
    for (let i = 0; i < depth; i += 1) nested = `{"d":${nested}}`
    const base: Record<string, unknown> = {
      id: `5e${String(n).padStart(22, '0')}`,
      by_user: 'd'.repeat(24),
      apply_policies: ['p'.repeat(24)],
      approved: false,
      date_created: '2026-01-01T00:00:00Z',
      fields: { plan: 'gold', deep: '__DEEP__' },
      portal_developer: { id: 'd'.repeat(24), email: `dev${n}@example.com` }
    }
    for (const { field, value } of changes) {
      if (value === undefined) delete base[field]
      else
        Object.defineProperty(base, field, {
          value,
          enumerable: true,
          writable: true,
          configurable: true
        })
    }
    return JSON.stringify(base).replace('"__DEEP__"', nested)
  })

const oddPage = fc.oneof(
  { weight: 6, arbitrary: fc.array(oddEntry, { maxLength: 6 }) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.oneof(
        oddValue.map((v) => JSON.stringify(v) ?? 'null'),
        oddEntry
      ),
      { maxLength: 4 }
    )
  }
)

let served = '{"Data":[],"Pages":1}'
let dashboard: ScriptedDashboard

beforeAll(async () => {
  dashboard = await startScriptedDashboard(() => ({ body: served }))
})
afterAll(() => dashboard.close())

/** The id an entry's JSON carries, the way the Dashboard addresses it; null when none. */
function idOf(entry: string): string | null {
  let json: unknown
  try {
    json = JSON.parse(entry)
  } catch {
    return null
  }
  if (typeof json !== 'object' || json === null) return null
  const { id, _id: underscored } = json as Record<string, unknown>
  if (typeof id === 'string' && id) return id
  return typeof underscored === 'string' && underscored ? underscored : null
}

describe('Dashboard fuzz corpus', () => {
  it(`reads ${CORPUS_RUNS} odd list answers through the client and sync: no crash, every entry shown or quarantined once`, async () => {
    const profile = testProfile({ id: 'fuzz', baseUrl: dashboard.url })
    const client = createTykClassicClient({
      profile,
      secret: 'kg-fuzz-secret-7d21',
      transport: createNodeTransport()
    })
    const { factory } = fakeStores()
    const sync = new SyncService({
      stores: factory,
      clock: new FakeClock(),
      notifier: new RecordingNotifier(),
      logger: new RecordingLogger(),
      clientFor: async () => client,
      getProfiles: () => [profile]
    })
    let entries = 0
    let quarantined = 0
    await fc.assert(
      fc.asyncProperty(oddPage, async (page) => {
        served = `{"Data":[${page.join(',')}],"Pages":1}`
        const view = await sync.list({ profileId: 'fuzz', status: 'pending', refresh: true })
        expect(view.sources[0]?.error).toBeNull()
        // Every entry once: those with an id by it (duplicates collapse), the rest by position.
        const ids = new Set(page.map(idOf).filter((id): id is string => id !== null))
        const withoutId = page.filter((entry) => idOf(entry) === null).length
        expect(view.items).toHaveLength(ids.size + withoutId)
        for (const id of ids) expect(view.items.some((item) => item.id === id)).toBe(true)
        for (const item of view.items) {
          expect(() => structuredClone(item)).not.toThrow()
          if (item.unreadable) expect(item.unreadable.length).toBeGreaterThan(0)
        }
        entries += page.length
        quarantined += view.items.filter((item) => item.unreadable).length
      }),
      { numRuns: CORPUS_RUNS, seed: 20261204 }
    )
    await sync.stop()
    expect(entries).toBeGreaterThan(CORPUS_RUNS)
    expect(quarantined).toBeGreaterThan(0)
  }, 120_000)
})
