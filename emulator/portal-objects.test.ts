import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, list, startTestEmulator } from './test-support'
import type { RunningEmulator } from './types'

let emu: RunningEmulator

beforeAll(async () => {
  emu = await startTestEmulator()
})
afterAll(async () => {
  await emu.close()
})

interface Developer {
  id: string
  email: string
  date_created: string
  keys: Record<string, string[]>
  PWHistory: unknown
}

interface PolicyDoc {
  _id: string
  id: string
  name: string
  active: boolean
  auth_type: string
}

describe('developers', () => {
  it('lists them in the paged envelope, every PortalDeveloper field present', async () => {
    const page = await list<Developer>(emu, '/api/portal/developers?p=1')
    const all = await list<Developer>(emu, '/api/portal/developers?p=-1')
    const total = all.Data?.length ?? 0
    expect(page.Data).toHaveLength(Math.min(10, total))
    expect(page.Pages).toBe(Math.ceil(total / 10))
    for (const key of [
      'id',
      'email',
      'date_created',
      'inactive',
      'org_id',
      'keys',
      'subscriptions'
    ]) {
      expect(page.Data?.[0]).toHaveProperty(key)
    }
    expect(page.Data?.[0]).toHaveProperty('PWHistory')
  })

  it('gets one by id and by URL-encoded email', async () => {
    const first = (await list<Developer>(emu, '/api/portal/developers?p=1')).Data?.[0] as Developer
    const byId = await api(emu, 'GET', `/api/portal/developers/${first.id}`)
    expect(byId.json()).toEqual(first)
    const byEmail = await api(
      emu,
      'GET',
      `/api/portal/developers/email/${encodeURIComponent(first.email)}`
    )
    expect(byEmail.status).toBe(200)
    expect(byEmail.json<Developer>().id).toBe(first.id)
  })

  it('answers 404 Could not retrieve portal object. for unknown ones', async () => {
    for (const path of [
      '/api/portal/developers/5e9d9544a1dcd60001d0ed20',
      '/api/portal/developers/email/nobody%40example.com'
    ]) {
      const result = await api(emu, 'GET', path)
      expect(result.status).toBe(404)
      expect(result.json()).toMatchObject({ Message: 'Could not retrieve portal object.' })
    }
  })
})

describe('policies', () => {
  it('lists named policies keyed by _id, with id "" as in the vendor samples', async () => {
    const { Data, Pages } = await list<PolicyDoc>(emu, '/api/portal/policies?p=-1')
    expect(Pages).toBe(1)
    expect(Data?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['Free Tier', 'Business Plan', 'Starter Plan', 'Partner Access'])
    )
    for (const policy of Data ?? []) {
      expect(policy._id).toMatch(/^[0-9a-f]{24}$/)
      expect(policy.id).toBe('')
    }
  })

  it('lists only active ones when `active` is given', async () => {
    const all = await list<PolicyDoc>(emu, '/api/portal/policies?p=-1')
    const active = await list<PolicyDoc>(emu, '/api/portal/policies?p=-1&active=true')
    expect(all.Data?.some((p) => !p.active)).toBe(true)
    expect(active.Data?.every((p) => p.active)).toBe(true)
    expect(active.Data?.length).toBe((all.Data?.length ?? 0) - 1)
  })

  it('gets one by _id; an unknown one is 404', async () => {
    const first = (await list<PolicyDoc>(emu, '/api/portal/policies?p=1')).Data?.[0] as PolicyDoc
    const one = await api(emu, 'GET', `/api/portal/policies/${first._id}`)
    expect(one.json()).toEqual(first)
    expect((await api(emu, 'GET', '/api/portal/policies/5e9d9544a1dcd60001d0ed20')).status).toBe(
      404
    )
  })
})

describe('catalogue and configuration', () => {
  it('serves the catalogue as one object {id, org_id, apis, email}', async () => {
    const result = await api(emu, 'GET', '/api/portal/catalogue')
    const catalogue = result.json<{
      apis: { auth_type: string; policy_id: string; config: object }[]
    }>()
    expect(Object.keys(catalogue)).toEqual(['id', 'org_id', 'apis', 'email'])
    expect(new Set(catalogue.apis.map((a) => a.auth_type))).toEqual(
      new Set(['authToken', 'basic', 'oauth', 'jwt'])
    )
    const policies = (await list<PolicyDoc>(emu, '/api/portal/policies?p=-1')).Data ?? []
    for (const entry of catalogue.apis) {
      expect(policies.map((p) => p._id)).toContain(entry.policy_id)
      expect(entry.config).toMatchObject({ override: false })
    }
  })

  it('serves the portal configuration with its id, org_id, HashKeys and key request fields', async () => {
    const config = (await api(emu, 'GET', '/api/portal/configuration')).json<
      Record<string, unknown>
    >()
    expect(config.id).toMatch(/^[0-9a-f]{24}$/)
    expect(config.org_id).toMatch(/^[0-9a-f]{24}$/)
    expect(config).toMatchObject({
      HashKeys: true,
      secure_key_approval: false,
      require_key_approval: true,
      key_request_fields: ['reason', 'company', 'use_case']
    })
  })
})
