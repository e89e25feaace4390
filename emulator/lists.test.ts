import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, list, startTestEmulator, type KeyRequestDoc } from './test-support'
import type { RunningEmulator } from './types'

let emu: RunningEmulator

beforeAll(async () => {
  emu = await startTestEmulator()
})
afterAll(async () => {
  await emu.close()
})

describe('key request lists', () => {
  it('answers {"Data":[...],"Pages":N} with exactly those two keys', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests?p=1')
    expect(result.status).toBe(200)
    expect(result.headers['content-type']).toBe('application/json')
    const body = result.json<Record<string, unknown>>()
    expect(Object.keys(body)).toEqual(['Data', 'Pages'])
  })

  it('pages 10 at a time, 1-based, with Pages = ceil(total / 10)', async () => {
    const pages = await Promise.all(
      [1, 2, 3].map((p) => list(emu, `/api/portal/requests?p=${p}&approved=false`))
    )
    expect(pages.map((page) => page.Data?.length)).toEqual([10, 10, 5])
    expect(pages.map((page) => page.Pages)).toEqual([3, 3, 3])
    const ids = pages.flatMap((page) => (page.Data ?? []).map((r) => r.id))
    expect(new Set(ids).size).toBe(25)
  })

  it('answers an empty Data array (not null) past the last page', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests?p=4&approved=false')
    expect(result.text).toBe('{"Data":[],"Pages":3}')
  })

  it('returns everything for p<0, p=0 and an absent p', async () => {
    for (const query of ['p=-1', 'p=-2', 'p=0', '']) {
      const body = await list(emu, `/api/portal/requests?${query}&approved=false`)
      expect(body.Data).toHaveLength(25)
      expect(body.Pages).toBe(3)
    }
  })

  it('filters on approved=true / approved=false and lists both without it', async () => {
    const approved = await list(emu, '/api/portal/requests?p=-1&approved=true')
    const pending = await list(emu, '/api/portal/requests?p=-1&approved=false')
    const all = await list(emu, '/api/portal/requests?p=-1')
    expect(approved.Data?.every((r) => r.approved === true)).toBe(true)
    expect(approved.Data).toHaveLength(10)
    expect(pending.Data?.every((r) => r.approved === false)).toBe(true)
    expect(all.Data).toHaveLength(35)
    expect(all.Pages).toBe(4)
  })

  it('orders newest first by date_created', async () => {
    const { Data } = await list(emu, '/api/portal/requests?p=-1')
    const times = (Data ?? []).map((r) => Date.parse(r.date_created))
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('embeds portal_developer, catalogue_entry and catalogues in list items', async () => {
    const { Data } = await list(emu, '/api/portal/requests?p=1')
    for (const item of Data ?? []) {
      expect(item.portal_developer.id).toBe(item.by_user)
      expect(item.portal_developer.email).toMatch(/@/)
      const policies = item.apply_policies ?? [item.for_plan]
      expect(policies).toContain(item.catalogue_entry.policy_id)
      expect(item.catalogues?.map((c) => c.policy_id)).toContain(item.catalogue_entry.policy_id)
    }
  })

  it('embeds the same in a single GET, which equals the list item', async () => {
    const { Data } = await list(emu, '/api/portal/requests?p=1')
    const first = Data?.[0] as KeyRequestDoc
    const single = await api(emu, 'GET', `/api/portal/requests/${first.id}`)
    expect(single.status).toBe(200)
    expect(single.json()).toEqual(first)
  })

  it('accepts a trailing slash on every path', async () => {
    const { Data } = await list(emu, '/api/portal/requests/?p=1')
    expect(Data).toHaveLength(10)
    const one = await api(emu, 'GET', `/api/portal/requests/${Data?.[0]?.id}/`)
    expect(one.status).toBe(200)
    expect((await api(emu, 'GET', '/api/portal/catalogue/')).status).toBe(200)
  })

  it('answers errors with {"Status","Message","Meta":null}', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests/5e9d9544a1dcd60001d0ed20')
    expect(result.status).toBe(404)
    expect(result.text).toBe(
      '{"Status":"Error","Message":"Could not retrieve portal object.","Meta":null}'
    )
  })

  it('answers an unknown /api path like Go net/http, and a wrong method with 405', async () => {
    const unknown = await api(emu, 'GET', '/api/portal/nope')
    expect(unknown.status).toBe(404)
    expect(unknown.text).toBe('404 page not found\n')
    const wrongMethod = await api(emu, 'PATCH', '/api/portal/requests')
    expect(wrongMethod.status).toBe(405)
  })
})
