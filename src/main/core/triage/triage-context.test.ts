import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import type { PortalClient } from '../portal/portal-client'
import { FakeClock } from '../testing/fake-clock'
import { RecordingLogger } from '../testing/recording-logger'
import { createTriageContext, subscriptionsOf, TRIAGE_FACTS_MAX_AGE_MS } from './triage-context'

function portal(options: { catalogueFails?: boolean } = {}) {
  const calls = { policies: 0, catalogue: 0, developers: 0 }
  const client = {
    listPolicies: async () => {
      calls.policies += 1
      return [{ id: 'pol-a', name: 'Gold', active: true, authType: null }]
    },
    listCatalogue: async () => {
      calls.catalogue += 1
      if (options.catalogueFails) throw new AppFailure('FORBIDDEN', 'no catalogue rights')
      return [{ name: 'Payments', authType: 'authToken', policyId: 'pol-a' }]
    },
    listDeveloperAccess: async () => {
      calls.developers += 1
      return [{ developerId: 'dev-1', policyIds: ['pol-a'] }]
    }
  } as unknown as PortalClient
  return { client, calls }
}

/** Lets a background read finish: its calls resolve at once, on the event loop, not the clock. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

function setup(client: PortalClient) {
  const clock = new FakeClock()
  const loaded: string[] = []
  const context = createTriageContext({
    clientFor: async () => client,
    clock,
    logger: new RecordingLogger(),
    onLoaded: (profileId) => loaded.push(profileId)
  })
  return { clock, loaded, context }
}

describe('triage context', () => {
  it('answers at once, reads in the background once, and reads again only when old or stale', async () => {
    const { client, calls } = portal()
    const { clock, loaded, context } = setup(client)
    expect(context.facts('p1')).toBeNull()
    expect(context.facts('p1')).toBeNull()
    const facts = await context.load('p1')
    expect(facts?.policyIds).toEqual(new Set(['pol-a']))
    expect(facts?.access?.get('dev-1')).toEqual(new Set(['pol-a']))
    expect(loaded).toEqual(['p1'])
    for (let i = 0; i < 50; i++) context.facts('p1')
    expect(calls).toEqual({ policies: 1, catalogue: 1, developers: 1 })

    clock.skip(TRIAGE_FACTS_MAX_AGE_MS - 1)
    context.facts('p1')
    expect(calls.developers).toBe(1)
    clock.skip(1)
    context.facts('p1')
    await settle()
    expect(calls.developers).toBe(2)
    expect(loaded).toEqual(['p1', 'p1'])
  })

  it('an approval grants its policies to the developer in place, with no read', async () => {
    const { client, calls } = portal()
    const { context } = setup(client)
    await context.load('p1')
    context.granted('p1', 'dev-1', ['pol-b'])
    context.granted('p1', 'dev-2', ['pol-a'])
    expect(context.facts('p1')?.access?.get('dev-1')).toEqual(new Set(['pol-a', 'pol-b']))
    expect(context.facts('p1')?.access?.get('dev-2')).toEqual(new Set(['pol-a']))
    await settle()
    expect(calls).toEqual({ policies: 1, catalogue: 1, developers: 1 })
  })

  it('a part that cannot be read is unknown, not empty: it raises no flag', async () => {
    const { client } = portal({ catalogueFails: true })
    const { context } = setup(client)
    const facts = await context.load('p1')
    expect(facts?.cataloguePolicyIds).toBeNull()
    expect(facts?.policyIds).toEqual(new Set(['pol-a']))
  })

  it('names and dates what a developer holds from the approved requests it has read', async () => {
    const { client } = portal()
    const { context } = setup(client)
    const facts = await context.load('p1')
    const approved = (createdAt: string) => ({
      id: createdAt,
      profileId: 'p1',
      approved: true,
      createdAt,
      developer: { id: 'dev-1', email: null },
      policies: [{ id: 'pol-a', name: 'Gold' }],
      catalogue: null,
      catalogues: [],
      fields: {},
      details: {
        kind: 'tyk-classic' as const,
        legacy: false,
        version: null,
        forApi: null,
        oauthRedirectUri: null
      },
      queued: null
    })
    expect(
      subscriptionsOf('dev-1', facts, [
        approved('2026-01-01T00:00:00.000Z'),
        approved('2026-02-01T00:00:00.000Z')
      ])
    ).toEqual([{ policyId: 'pol-a', policyName: 'Gold', since: '2026-02-01T00:00:00.000Z' }])
    expect(subscriptionsOf('dev-2', facts, [])).toEqual([])
    expect(subscriptionsOf('dev-1', null, [])).toBeUndefined()
  })
})
