import { describe, expect, it } from 'vitest'
import type { KeyRequest } from '../../../shared/domain'
import { testKeyRequest } from '../../../shared/testing/key-request'
import {
  buildRows,
  catalogueText,
  fieldsText,
  filterRows,
  narrows,
  policiesText,
  searchTerms
} from './request-rows'

const request = testKeyRequest

const ids = (rows: { item: KeyRequest }[]) => rows.map((row) => row.item.id)

describe('request search', () => {
  const rows = buildRows([
    request('alice', { fields: { reason: 'Mobile checkout' } }),
    request('bob', {
      policies: [{ id: 'pol-free', name: null }],
      catalogue: { name: 'Weather API', authType: null, policyId: null },
      catalogues: [{ name: 'Weather API', authType: null, policyId: null }]
    }),
    request('carol', { developer: { id: 'dev-carol', email: 'Carol.Smith@Globex.com' } })
  ])

  it('matches email, catalogue entry, policy name or id and custom fields, ignoring case', () => {
    expect(ids(filterRows(rows, searchTerms('CAROL.smith')))).toEqual(['carol'])
    expect(ids(filterRows(rows, searchTerms('weather')))).toEqual(['bob'])
    expect(ids(filterRows(rows, searchTerms('pol-free')))).toEqual(['bob'])
    expect(ids(filterRows(rows, searchTerms('gold tier')))).toEqual(['alice', 'carol'])
    expect(ids(filterRows(rows, searchTerms('checkout')))).toEqual(['alice'])
  })

  it('needs every term to match and returns everything for an empty query', () => {
    expect(ids(filterRows(rows, searchTerms('payments mobile')))).toEqual(['alice'])
    expect(ids(filterRows(rows, searchTerms('payments weather')))).toEqual([])
    expect(ids(filterRows(rows, searchTerms('   ')))).toEqual(['alice', 'bob', 'carol'])
  })

  it('narrowing from the previous result gives the same rows as a full filter', () => {
    const many = buildRows(
      Array.from({ length: 300 }, (_, i) =>
        request(`r${i}`, { fields: { note: `n${i % 7} m${i % 11}` } })
      )
    )
    const typed = ['n', 'n3', 'n3 ', 'n3 m', 'n3 m1', 'n3 m10', 'n3 m1', 'n', 'm', 'r2', 'r2 n4']
    let previousTerms: string[] = []
    let previous = filterRows(many, [])
    for (const query of typed) {
      const terms = searchTerms(query)
      const base = narrows(previousTerms, terms) ? previous : many
      const incremental = filterRows(base, terms)
      expect(ids(incremental)).toEqual(ids(filterRows(many, terms)))
      previousTerms = terms
      previous = incremental
    }
  })

  it('recognises only queries that can shrink the result as narrowing', () => {
    expect(narrows(['ab'], ['abc'])).toBe(true)
    expect(narrows(['ab'], ['ab', 'x'])).toBe(true)
    expect(narrows(['abc'], ['ab'])).toBe(false)
    expect(narrows(['ab', 'x'], ['ab'])).toBe(false)
    expect(narrows([], ['a'])).toBe(false)
  })
})

describe('row text', () => {
  it('names unresolved policies by id and counts extra catalogue entries', () => {
    expect(
      policiesText([
        { id: 'pol-1', name: 'Gold' },
        { id: 'pol-2', name: null }
      ])
    ).toBe('Gold, pol-2')
    expect(policiesText([])).toBe('No policy')
    const item = request('x', {
      catalogues: [
        { name: 'Payments API', authType: null, policyId: null },
        { name: 'Orders API', authType: null, policyId: null }
      ]
    })
    expect(catalogueText(item)).toBe('Payments API +1')
    expect(
      catalogueText(
        request('y', {
          catalogue: null,
          catalogues: [],
          details: {
            kind: 'tyk-classic',
            legacy: false,
            version: null,
            forApi: 'api-1',
            oauthRedirectUri: null
          }
        })
      )
    ).toBe('api-1')
  })

  it('summarises the first three custom fields and shortens long values', () => {
    expect(fieldsText({})).toBe('')
    expect(fieldsText({ a: '1', b: '2', c: '3', d: '4', e: '5' })).toBe(
      'a: 1 · b: 2 · c: 3 · +2 more'
    )
    expect(fieldsText({ why: 'x'.repeat(50) })).toBe(`why: ${'x'.repeat(40)}…`)
  })
})
