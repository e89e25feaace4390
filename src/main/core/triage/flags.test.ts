import { describe, expect, it } from 'vitest'
import type { KeyRequest, RequestFlagKind } from '../../../shared/domain'
import { withFlags, type TriageFacts } from './flags'

function request(id: string, over: Partial<KeyRequest> & { legacy?: boolean } = {}): KeyRequest {
  const { legacy = false, ...rest } = over
  return {
    id,
    profileId: 'p1',
    approved: false,
    createdAt: '2026-12-01T10:00:00.000Z',
    developer: { id: 'dev-1', email: 'dev1@example.com' },
    policies: [{ id: 'pol-free', name: 'Free Tier' }],
    catalogue: { name: 'Payments API', authType: 'authToken', policyId: 'pol-free' },
    catalogues: [],
    fields: {},
    details: { kind: 'tyk-classic', legacy, version: 'v2', forApi: null, oauthRedirectUri: null },
    queued: null,
    ...rest
  }
}

const facts: TriageFacts = {
  policyIds: new Set(['pol-free', 'pol-gold']),
  cataloguePolicyIds: new Set(['pol-free', 'pol-gold']),
  access: new Map([['dev-9', new Set(['pol-free'])]]),
  policyNames: new Map([
    ['pol-free', 'Free Tier'],
    ['pol-gold', 'Gold']
  ])
}

const unknownFacts: TriageFacts = {
  policyIds: null,
  cataloguePolicyIds: null,
  access: null,
  policyNames: new Map()
}

const kinds = (list: KeyRequest[], id: string): RequestFlagKind[] =>
  (list.find((r) => r.id === id)?.flags ?? []).map((flag) => flag.kind)

describe('withFlags', () => {
  const cases: {
    name: string
    pending: KeyRequest[]
    facts: TriageFacts | null
    expected: Record<string, RequestFlagKind[]>
  }[] = [
    {
      name: 'a lone ordinary request has none',
      pending: [request('a')],
      facts,
      expected: { a: [] }
    },
    {
      name: 'same developer and same policies, in any order, are duplicates of each other',
      pending: [
        request('a', {
          policies: [
            { id: 'pol-gold', name: null },
            { id: 'pol-free', name: null }
          ]
        }),
        request('b', {
          policies: [
            { id: 'pol-free', name: null },
            { id: 'pol-gold', name: null }
          ]
        }),
        request('c', { policies: [{ id: 'pol-free', name: null }] })
      ],
      facts,
      expected: { a: ['duplicate'], b: ['duplicate'], c: [] }
    },
    {
      name: 'another developer, or the same developer on another portal, is no duplicate',
      pending: [
        request('a'),
        request('b', { developer: { id: 'dev-2', email: null } }),
        request('c', { profileId: 'p2' })
      ],
      facts,
      expected: { a: [], b: [], c: [] }
    },
    {
      name: 'without policies, the same catalogue entry decides',
      pending: [request('a', { policies: [] }), request('b', { policies: [] })],
      facts,
      expected: { a: ['duplicate'], b: ['duplicate'] }
    },
    {
      name: 'a developer who already holds the policy',
      pending: [request('a', { developer: { id: 'dev-9', email: null } })],
      facts,
      expected: { a: ['has-access'] }
    },
    {
      name: 'a policy gone from the portal, and with it its catalogue entry',
      pending: [request('a', { policies: [{ id: 'pol-old', name: null }] })],
      facts,
      expected: { a: ['missing-policy', 'missing-catalogue'] }
    },
    {
      name: 'a policy still there whose catalogue entry went',
      pending: [request('a')],
      facts: { ...facts, cataloguePolicyIds: new Set(['pol-gold']) },
      expected: { a: ['missing-catalogue'] }
    },
    {
      name: 'one catalogued policy of several is enough for the catalogue',
      pending: [
        request('a', {
          policies: [
            { id: 'pol-free', name: null },
            { id: 'pol-gold', name: null }
          ]
        })
      ],
      facts: { ...facts, cataloguePolicyIds: new Set(['pol-gold']) },
      expected: { a: [] }
    },
    {
      name: 'a for_plan request is legacy',
      pending: [request('a', { legacy: true })],
      facts,
      expected: { a: ['legacy'] }
    },
    {
      name: 'facts that could not be read raise nothing but duplicates and legacy',
      pending: [
        request('a', { policies: [{ id: 'pol-old', name: null }], legacy: true }),
        request('b', { policies: [{ id: 'pol-old', name: null }] })
      ],
      facts: unknownFacts,
      expected: { a: ['duplicate', 'legacy'], b: ['duplicate'] }
    },
    {
      name: 'no facts at all',
      pending: [request('a', { developer: { id: 'dev-9', email: null } })],
      facts: null,
      expected: { a: [] }
    },
    {
      name: "an unreadable row has none, and is nobody's duplicate",
      pending: [request('a'), request('b', { unreadable: 'no id' })],
      facts,
      expected: { a: [], b: [] }
    },
    {
      name: 'everything at once',
      pending: [
        request('a', {
          developer: { id: 'dev-9', email: null },
          policies: [
            { id: 'pol-free', name: null },
            { id: 'pol-old', name: null }
          ],
          legacy: true
        }),
        request('b', {
          developer: { id: 'dev-9', email: null },
          policies: [
            { id: 'pol-old', name: null },
            { id: 'pol-free', name: null }
          ]
        })
      ],
      facts,
      expected: {
        a: ['duplicate', 'has-access', 'missing-policy', 'legacy'],
        b: ['duplicate', 'has-access', 'missing-policy']
      }
    }
  ]

  it.each(cases)('$name', ({ pending, facts: given, expected }) => {
    const flagged = withFlags(pending, () => given)
    for (const [id, want] of Object.entries(expected)) expect(kinds(flagged, id)).toEqual(want)
  })

  it('says in words what it found, naming policies by name', () => {
    const [first] = withFlags(
      [
        request('a', { developer: { id: 'dev-9', email: null } }),
        request('b', {
          developer: { id: 'dev-9', email: null },
          createdAt: '2026-11-28T09:00:00.000Z'
        })
      ],
      () => facts
    )
    expect(first?.flags).toEqual([
      {
        kind: 'duplicate',
        text: 'Duplicate: 1 other pending request from this developer for the same policies (earliest 2026-11-28)'
      },
      { kind: 'has-access', text: 'Developer already holds Free Tier' }
    ])
  })

  it('leaves the requests it was given unchanged', () => {
    const given = [request('a', { legacy: true })]
    withFlags(given, () => facts)
    expect(given[0]?.flags).toBeUndefined()
  })
})
