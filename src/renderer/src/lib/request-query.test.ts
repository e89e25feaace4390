import { describe, expect, it } from 'vitest'
import {
  applyQuery,
  emptyQuery,
  fieldValue,
  isEmptyQuery,
  parseAge,
  parseQuery,
  withField
} from './request-query'
import { buildRows } from './request-rows'
import { testKeyRequest as request } from '../../../shared/testing/key-request'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('parseQuery', () => {
  it('reads the documented example into filters and free text', () => {
    expect(parseQuery('policy:"Free Tier" age:>3d portal:prod dev:alice mobile')).toEqual({
      ...emptyQuery(),
      terms: ['mobile'],
      policy: ['free tier'],
      portal: ['prod'],
      dev: ['alice'],
      age: [{ older: true, ms: 3 * DAY }]
    })
  })

  it('takes field aliases and any case; repeats of a field all apply', () => {
    const query = parseQuery('Developer:Bob API:Payments catalog:v2 POLICY:gold policy:tier')
    expect(query.dev).toEqual(['bob'])
    expect(query.catalogue).toEqual(['payments', 'v2'])
    expect(query.policy).toEqual(['gold', 'tier'])
  })

  it('keeps a quoted phrase as one term; an unterminated quote runs to the end', () => {
    expect(parseQuery('"Gold tier" x').terms).toEqual(['gold tier', 'x'])
    expect(parseQuery('policy:"free tier').policy).toEqual(['free tier'])
  })

  it('ignores a field still being typed, so the list does not empty mid-word', () => {
    expect(isEmptyQuery(parseQuery('policy:'))).toBe(true)
    expect(isEmptyQuery(parseQuery('age:>'))).toBe(true)
    expect(isEmptyQuery(parseQuery('age:>3'))).toBe(true)
    expect(isEmptyQuery(parseQuery('policy:""'))).toBe(true)
  })

  it('treats an unknown field or a malformed age as free text', () => {
    expect(parseQuery('reason:mobile').terms).toEqual(['reason:mobile'])
    expect(parseQuery('age:old').terms).toEqual(['age:old'])
    expect(parseQuery('http://x').terms).toEqual(['http://x'])
  })

  it('reads ages in minutes, hours, days and weeks, older and newer', () => {
    expect(parseAge('>90m')).toEqual({ older: true, ms: 90 * 60_000 })
    expect(parseAge('<12h')).toEqual({ older: false, ms: 12 * HOUR })
    expect(parseAge('>1.5d')).toEqual({ older: true, ms: 1.5 * DAY })
    expect(parseAge('>2w')).toEqual({ older: true, ms: 14 * DAY })
    expect(parseAge('3d')).toBeNull()
    expect(parseAge('>3y')).toBeNull()
  })
})

describe('applyQuery', () => {
  const now = Date.parse('2026-03-20T12:00:00Z')
  const ago = (ms: number) => new Date(now - ms).toISOString()
  const rows = buildRows([
    request('alice', { createdAt: ago(5 * DAY), fields: { reason: 'Mobile app' } }),
    request('bob', {
      profileId: 'staging',
      createdAt: ago(2 * HOUR),
      policies: [{ id: 'pol-free', name: 'Free Tier' }],
      catalogue: { name: 'Weather API', authType: null, policyId: null },
      catalogues: []
    }),
    request('carol', { createdAt: null, developer: { id: 'dev-c', email: null } }),
    request('dave', {
      createdAt: ago(4 * DAY),
      policies: [{ id: 'pol-free', name: null }],
      flags: [
        { kind: 'duplicate', text: 'Duplicate' },
        { kind: 'missing-catalogue', text: 'No catalogue entry' }
      ]
    })
  ])
  const names: Record<string, string> = { prod: 'Production EU', staging: 'Staging' }
  const context = { now, portalName: (id: string) => names[id] ?? 'Removed portal' }
  const ids = (query: string) => applyQuery(rows, parseQuery(query), context).map((r) => r.item.id)

  it('keeps everything, in order, for an empty query', () => {
    expect(ids('')).toEqual(['alice', 'bob', 'carol', 'dave'])
  })

  it('filters by policy name or id, portal name or id, developer and catalogue entry', () => {
    expect(ids('policy:"free tier"')).toEqual(['bob'])
    expect(ids('policy:pol-free')).toEqual(['bob', 'dave'])
    expect(ids('portal:production')).toEqual(['alice', 'carol', 'dave'])
    expect(ids('portal:staging')).toEqual(['bob'])
    expect(ids('dev:ali')).toEqual(['alice'])
    expect(ids('dev:dev-c')).toEqual(['carol'])
    expect(ids('catalogue:weather')).toEqual(['bob'])
  })

  it('filters by age either way; a request without a date matches no age filter', () => {
    expect(ids('age:>3d')).toEqual(['alice', 'dave'])
    expect(ids('age:<1d')).toEqual(['bob'])
    expect(ids('age:>3d age:<4.5d')).toEqual(['dave'])
  })

  it('combines filters and free text: all must match', () => {
    expect(ids('age:>3d mobile')).toEqual(['alice'])
    expect(ids('"gold tier" mobile')).toEqual(['alice'])
    expect(ids('"tier gold"')).toEqual([])
    expect(ids('policy:pol-free portal:prod')).toEqual(['dave'])
    expect(ids('policy:pol-free nothing-like-this')).toEqual([])
  })

  it('filters by flag: a kind, missing policy or catalogue, or any; with the rest of the query', () => {
    expect(ids('flag:dup')).toEqual(['dave'])
    expect(ids('flag:missing')).toEqual(['dave'])
    expect(ids('flag:any')).toEqual(['dave'])
    expect(ids('flag:legacy')).toEqual([])
    expect(ids('flag:access')).toEqual([])
    expect(ids('flag:dup flag:missing age:>3d')).toEqual(['dave'])
    expect(ids('flag:dup portal:staging')).toEqual([])
    expect(parseQuery('flag:nonsense').terms).toEqual(['flag:nonsense'])
  })
})

describe('withField and fieldValue (the filter menus)', () => {
  it('sets a field in place of its earlier value, quoting a value with a space, keeping the rest', () => {
    const text = withField('mobile policy:gold', 'policy', 'Free Tier')
    expect(text).toBe('mobile policy:"Free Tier"')
    expect(parseQuery(text).policy).toEqual(['free tier'])
    expect(fieldValue(text, 'policy')).toBe('Free Tier')
    expect(withField('"gold tier" portal:prod', 'portal', null)).toBe('"gold tier"')
    expect(withField('flags:dup x', 'flag', 'missing')).toBe('x flag:missing')
    expect(withField('', 'age', '>3d')).toBe('age:>3d')
    expect(fieldValue('x', 'age')).toBe('')
  })
})
