// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import type { DecisionLogEntry } from '../../../shared/domain'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { useDecisionsStore } from './decisions-store'
import { useProfilesStore } from './profiles-store'
import { testDecisionEntry } from '../../../shared/testing/decision-entry'

const entry = (opId: string, profileId: string, decidedAt: string): DecisionLogEntry =>
  testDecisionEntry({ opId, profileId, decidedAt })
const logs: Record<string, DecisionLogEntry[]> = {
  prod: [entry('p1', 'prod', '2026-03-12T13:00:00.000Z')],
  staging: [entry('s1', 'staging', '2026-03-12T14:00:00.000Z')],
  old: [
    {
      ...entry('o1', 'old', '2026-03-12T13:30:00.000Z'),
      portalRemoved: { name: 'Legacy', at: '2026-03-13T00:00:00.000Z' }
    }
  ]
}
const legacy = { profileId: 'old', name: 'Legacy', removedAt: '2026-03-13T00:00:00.000Z' }
const opIds = () => useDecisionsStore.getState().rows.map((row) => row.entry.opId)

let keygate: FakeKeygate

beforeEach(() => {
  keygate = installFakeKeygate()
  keygate.answer('decisions:list', (args) => {
    const { profileId } = args as { profileId: string }
    const log = logs[profileId]
    return log
      ? { ok: true, value: log }
      : { ok: false, error: { code: 'INTERNAL', message: 'log unreadable', retryable: true } }
  })
  keygate.succeed('decisions:removedPortals', [])
  useProfilesStore.setState({
    profiles: ['prod', 'staging'].map((id) => testProfileSummary({ id, name: id.toUpperCase() }))
  })
  useDecisionsStore.setState({
    profileId: null,
    shown: false,
    phase: 'idle',
    rows: [],
    error: null,
    removed: []
  })
})

describe('decisions store', () => {
  it('merges every portal’s log, newest first, or shows one portal’s', async () => {
    await useDecisionsStore.getState().load(null)
    expect(opIds()).toEqual(['s1', 'p1'])
    await useDecisionsStore.getState().load('prod')
    expect(opIds()).toEqual(['p1'])
    expect(keygate.callsTo('decisions:list')).toEqual([
      { profileId: 'prod' },
      { profileId: 'staging' },
      { profileId: 'prod' }
    ])
  })

  it('shows what it could read and names the portal whose log failed', async () => {
    useProfilesStore.setState({
      profiles: ['prod', 'gone'].map((id) => testProfileSummary({ id, name: id.toUpperCase() }))
    })
    await useDecisionsStore.getState().load(null)
    expect(opIds()).toEqual(['p1'])
    expect(useDecisionsStore.getState()).toMatchObject({
      phase: 'ready',
      error: { message: 'GONE: log unreadable' }
    })
  })

  it('merges the logs of deleted portals into every portal’s view, and only there', async () => {
    keygate.succeed('decisions:removedPortals', [legacy])
    await useDecisionsStore.getState().load(null)
    expect(opIds()).toEqual(['s1', 'o1', 'p1'])
    expect(useDecisionsStore.getState().removed).toEqual([legacy])
    await useDecisionsStore.getState().load('prod')
    expect(opIds()).toEqual(['p1'])
    expect(keygate.callsTo('decisions:removedPortals')).toHaveLength(1)
  })

  it('names a deleted portal whose log failed as removed, and says so when the list of them failed', async () => {
    keygate.succeed('decisions:removedPortals', [{ ...legacy, profileId: 'lost' }])
    await useDecisionsStore.getState().load(null)
    expect(opIds()).toEqual(['s1', 'p1'])
    expect(useDecisionsStore.getState().error?.message).toBe('Legacy (removed): log unreadable')

    keygate.fail('decisions:removedPortals', 'store unreadable')
    await useDecisionsStore.getState().load(null)
    expect(opIds()).toEqual(['s1', 'p1'])
    expect(useDecisionsStore.getState().error?.message).toBe('Removed portals: store unreadable')
  })

  it('reloads on an outbox change only while the log is on screen', async () => {
    await useDecisionsStore.getState().load('prod')
    useDecisionsStore.getState().hide()
    useDecisionsStore.getState().reloadIfShown()
    expect(keygate.calls).toHaveLength(1)
    await useDecisionsStore.getState().load('prod')
    useDecisionsStore.getState().reloadIfShown()
    expect(keygate.calls).toHaveLength(3)
  })
})
