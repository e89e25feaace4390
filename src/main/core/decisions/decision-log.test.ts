import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DecisionLogEntry } from '../../../shared/domain'
import { createLogger } from '../logging/logger'
import { createConfStoreFactory } from '../storage/conf-store'
import { createDecisionLog } from './decision-log'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const openLog = (dir: string) =>
  createDecisionLog(
    createConfStoreFactory(dir)('decisions'),
    createLogger(() => {})
  )

const entry = (opId: string, profileId: string, decidedAt: string): DecisionLogEntry => ({
  opId,
  profileId,
  requestId: `req-${opId}`,
  kind: 'decline',
  reason: 'duplicate',
  by: 'admin',
  decidedAt,
  outcome: 'done',
  developerEmail: 'dev@example.com'
})

describe('decision log', () => {
  it('keeps entries per profile, newest first, across reopening the store', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-decisions-'))
    dirs.push(dir)
    const log = openLog(dir)
    log.record(entry('a', 'p1', '2026-01-01T00:00:00.000Z'))
    log.record(entry('b', 'p1', '2026-01-02T00:00:00.000Z'))
    log.record(entry('c', 'p2', '2026-01-03T00:00:00.000Z'))
    log.record({ ...entry('a', 'p1', '2026-01-01T00:00:00.000Z'), outcome: 'conflict' })

    const reopened = openLog(dir)
    expect(reopened.list('p1').map((e) => [e.opId, e.outcome])).toEqual([
      ['a', 'conflict'],
      ['b', 'done']
    ])
    expect(reopened.list('p2')).toEqual([entry('c', 'p2', '2026-01-03T00:00:00.000Z')])
    reopened.forgetProfile('p1')
    expect(openLog(dir).list('p1')).toEqual([])
    expect(openLog(dir).list('p2')).toHaveLength(1)
  })
})
