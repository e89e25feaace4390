import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DecisionLogEntry } from '../../../shared/domain'
import { createLogger } from '../logging/logger'
import type { KeyValueStore } from '../ports'
import { createConfStoreFactory } from '../storage/conf-store'
import { FakeClock } from '../testing/fake-clock'
import { createDecisionLog } from './decision-log'
import { testDecisionEntry } from '../../../shared/testing/decision-entry'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const logger = createLogger(() => {})
const openLog = (dir: string) =>
  createDecisionLog({ store: createConfStoreFactory(dir)('decisions'), logger })

const entry = (opId: string, profileId: string, decidedAt: string): DecisionLogEntry =>
  testDecisionEntry({
    opId,
    profileId,
    decidedAt,
    reason: 'duplicate',
    by: 'admin',
    developerEmail: 'dev@example.com'
  })

/** A store that counts writes. */
function countingStore(): KeyValueStore & { writes: number } {
  const data = new Map<string, unknown>()
  return {
    writes: 0,
    get: <T>(key: string) => data.get(key) as T | undefined,
    set(key, value) {
      this.writes += 1
      data.set(key, JSON.parse(JSON.stringify(value)))
    },
    delete: (key) => data.delete(key),
    keys: () => [...data.keys()]
  }
}

describe('decision log', () => {
  it('keeps entries per profile, newest first, across reopening the store', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-decisions-'))
    dirs.push(dir)
    const log = openLog(dir)
    log.record([entry('b', 'p1', '2026-01-02T00:00:00.000Z')])
    log.record([
      entry('a', 'p1', '2026-01-01T00:00:00.000Z'),
      entry('c', 'p2', '2026-01-03T00:00:00.000Z')
    ])
    log.record([
      { ...entry('a', 'p1', '2026-01-09T00:00:00.000Z'), outcome: 'conflict', by: 'other' }
    ])
    log.flush()

    const reopened = openLog(dir)
    expect(reopened.list('p1').map((e) => [e.opId, e.outcome, e.by, e.decidedAt])).toEqual([
      ['b', 'done', 'admin', '2026-01-02T00:00:00.000Z'],
      ['a', 'conflict', 'admin', '2026-01-01T00:00:00.000Z']
    ])
    expect(reopened.list('p2')).toEqual([entry('c', 'p2', '2026-01-03T00:00:00.000Z')])
    reopened.markRemoved('p1', 'Portal One')
    expect(
      openLog(dir)
        .list('p1')
        .map((e) => [e.opId, e.portalRemoved?.name])
    ).toEqual([
      ['b', 'Portal One'],
      ['a', 'Portal One']
    ])
    expect(openLog(dir).list('p2')).toHaveLength(1)
  })

  it('names the portals whose profile was deleted, by name, from the store as reopened', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-decisions-'))
    dirs.push(dir)
    const log = openLog(dir)
    log.record([
      entry('a', 'p1', '2026-01-01T00:00:00.000Z'),
      entry('b', 'p2', '2026-01-02T00:00:00.000Z'),
      entry('c', 'p3', '2026-01-03T00:00:00.000Z')
    ])
    log.markRemoved('p3', 'Portal Two')
    log.markRemoved('p1', 'Portal One')
    // Deleted without a decision: nothing of it to show.
    log.markRemoved('p4', 'Portal Four')
    expect(openLog(dir).removedPortals()).toEqual([
      { profileId: 'p1', name: 'Portal One', removedAt: expect.stringMatching(/^\d{4}-/) },
      { profileId: 'p3', name: 'Portal Two', removedAt: expect.stringMatching(/^\d{4}-/) }
    ])
  })

  it('batches writes: one per changed profile after the delay, none when nothing changed', async () => {
    const clock = new FakeClock()
    const store = countingStore()
    const log = createDecisionLog({ store, logger, clock, flushDelayMs: 1000 })
    const many = Array.from({ length: 50 }, (_, n) =>
      entry(`op${n}`, n % 2 ? 'p1' : 'p2', `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`)
    )
    for (const one of many) log.record([one])
    expect(store.writes).toBe(0)
    expect(log.list('p1')).toHaveLength(25)
    await clock.advance(1000)
    expect(store.writes).toBe(2)

    log.record(many)
    await clock.advance(5000)
    expect(store.writes).toBe(2)
    log.record([{ ...many[1]!, outcome: 'failed' }])
    log.flush()
    expect(store.writes).toBe(3)
    expect(createDecisionLog({ store, logger }).list('p1')[24]).toMatchObject({
      opId: 'op1',
      outcome: 'failed'
    })
  })

  it('keeps the newest 2000 entries of a profile and takes nothing older back', () => {
    const store = countingStore()
    const log = createDecisionLog({ store, logger })
    const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString()
    log.record(Array.from({ length: 2005 }, (_, n) => entry(`op${n}`, 'p1', at(n))))
    const kept = log.list('p1')
    expect(kept).toHaveLength(2000)
    expect([kept[0]!.opId, kept.at(-1)!.opId]).toEqual(['op2004', 'op5'])
    log.flush()
    log.record([entry('op0', 'p1', at(0))])
    log.flush()
    expect(store.writes).toBe(1)
    expect(log.list('p1').at(-1)!.opId).toBe('op5')
  })

  it('learns the policy, catalogue and API names once, keeps them through later records, and reads them back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-decisions-'))
    dirs.push(dir)
    const log = openLog(dir)
    const first = { ...entry('op-n', 'p1', '2026-03-12T10:00:00.000Z'), outcome: 'queued' as const }
    log.record([first])
    const named = {
      ...first,
      policyNames: ['Gold tier'],
      catalogueName: 'Payments API',
      forApi: null
    }
    log.record([named])
    log.record([{ ...first, outcome: 'done' }])
    log.flush()
    expect(openLog(dir).list('p1')).toEqual([{ ...named, outcome: 'done' }])
  })

  it('keeps why an action ended as it did, moving on with the outcome, and reads it back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-decisions-'))
    dirs.push(dir)
    const log = openLog(dir)
    const queued = {
      ...entry('op-r', 'p1', '2026-03-12T10:00:00.000Z'),
      outcome: 'queued' as const
    }
    const doubt = { reason: 'cancelled-outcome-unknown' as const, at: '2026-03-12T10:05:00.000Z' }
    log.record([queued])
    log.record([{ ...queued, outcome: 'cancelled', resolution: doubt }])
    log.flush()
    expect(openLog(dir).list('p1')).toEqual([
      { ...queued, outcome: 'cancelled', resolution: doubt }
    ])

    // An entry logged before resolutions were kept learns one from the outbox at the next start.
    const older = {
      ...entry('op-s', 'p1', '2026-03-12T11:00:00.000Z'),
      outcome: 'conflict' as const
    }
    const removed = { reason: 'removed-outcome-unknown' as const, at: '2026-03-12T11:01:00.000Z' }
    const reopened = openLog(dir)
    reopened.record([older])
    reopened.record([{ ...older, resolution: removed }])
    reopened.flush()
    expect(openLog(dir).list('p1')[0]).toEqual({ ...older, resolution: removed })
  })
})
