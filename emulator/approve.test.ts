import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { murmur32Hex, murmur64Hex } from './murmur3'
import { api, list, pendingOfAuthType, startTestEmulator, type KeyRequestDoc } from './test-support'
import type { RunningEmulator } from './types'

let emu: RunningEmulator
let orgId: string

beforeAll(async () => {
  emu = await startTestEmulator()
  orgId = (await api(emu, 'GET', '/api/portal/configuration')).json<{ org_id: string }>().org_id
})
beforeEach(() => {
  emu.control.reset()
  emu.control.setSwitches({
    rawKeyFormat: 'base64-json',
    hashKeys: true,
    guardDoubleApprove: true
  })
})
afterAll(async () => {
  await emu.close()
})

async function approve(id: string) {
  return api(emu, 'PUT', `/api/portal/requests/approve/${id}`)
}

async function developerOf(request: KeyRequestDoc) {
  return (await api(emu, 'GET', `/api/portal/developers/${request.by_user}`)).json<{
    keys: Record<string, string[]>
    subscriptions: Record<string, string>
    oauth_clients: Record<string, { client_id: string; secret: string; redirect_uri: string }[]>
  }>()
}

describe('approving an authToken request', () => {
  it('returns {"RawKey","Password":""} in the base64-JSON murmur64 form by default', async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    const result = await approve(request.id)
    expect(result.status).toBe(200)
    const body = result.json<{ RawKey: string; Password: string }>()
    expect(Object.keys(body)).toEqual(['RawKey', 'Password'])
    expect(body.Password).toBe('')
    expect(body.RawKey.startsWith('eyJ')).toBe(true)
    const decoded = JSON.parse(Buffer.from(body.RawKey, 'base64').toString('utf8'))
    expect(decoded).toEqual({
      org: orgId,
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      h: 'murmur64'
    })
  })

  it("records the key's murmur64 hash on the developer's keys and subscriptions", async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    const { RawKey } = (await approve(request.id)).json<{ RawKey: string }>()
    const developer = await developerOf(request)
    const hash = murmur64Hex(RawKey)
    expect(developer.keys[hash]).toEqual(request.apply_policies)
    for (const policy of request.apply_policies ?? []) {
      expect(developer.subscriptions[policy]).toBe(hash)
    }
  })

  it('marks the request approved: it moves from the pending list to the approved one', async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    await approve(request.id)
    const pending = await list(emu, '/api/portal/requests?p=-1&approved=false')
    const approved = await list(emu, '/api/portal/requests?p=-1&approved=true')
    expect(pending.Data?.some((r) => r.id === request.id)).toBe(false)
    expect(approved.Data?.find((r) => r.id === request.id)?.approved).toBe(true)
    expect(emu.control.stats()).toMatchObject({ approvals: { [request.id]: 1 }, pending: 24 })
  })

  it('issues the legacy org id + 32 hex form, hashed with murmur32, by switch', async () => {
    emu.control.setSwitches({ rawKeyFormat: 'legacy' })
    const request = await pendingOfAuthType(emu, 'authToken')
    const { RawKey } = (await approve(request.id)).json<{ RawKey: string }>()
    expect(RawKey).toMatch(new RegExp(`^${orgId}[0-9a-f]{32}$`))
    expect(RawKey).toHaveLength(56)
    expect(Object.keys((await developerOf(request)).keys)).toContain(murmur32Hex(RawKey))
  })

  it('records the raw key itself when hashKeys is off', async () => {
    emu.control.setSwitches({ hashKeys: false })
    const request = await pendingOfAuthType(emu, 'authToken')
    const { RawKey } = (await approve(request.id)).json<{ RawKey: string }>()
    expect((await developerOf(request)).keys[RawKey]).toEqual(request.apply_policies)
  })
})

describe('approving other auth types', () => {
  it('basic: RawKey is the username and Password the password', async () => {
    const request = await pendingOfAuthType(emu, 'basic')
    const body = (await approve(request.id)).json<{ RawKey: string; Password: string }>()
    expect(body.RawKey).toMatch(/^[\w.-]+-[0-9a-f]{6}$/)
    expect(body.Password).toMatch(/^[A-Za-z0-9]{16}$/)
    expect(Object.keys((await developerOf(request)).keys)).toHaveLength(
      Object.keys(request.portal_developer.keys ?? {}).length + 1
    )
  })

  it('oauth: client_id, secret, policy_id and the request redirect_uri, kept on the developer', async () => {
    const request = await pendingOfAuthType(emu, 'oauth')
    const body = (await approve(request.id)).json<Record<string, string>>()
    const policy = request.apply_policies?.[0] as string
    expect(Object.keys(body)).toEqual(['client_id', 'secret', 'policy_id', 'redirect_uri'])
    expect(body.client_id).toMatch(/^[0-9a-f]{32}$/)
    expect(Buffer.from(body.secret as string, 'base64').toString()).toMatch(/^[0-9a-f]{32}$/)
    expect(body.policy_id).toBe(policy)
    expect(body.redirect_uri).toBe((request.oauth_info as { redirect_uri: string }).redirect_uri)
    const clients = (await developerOf(request)).oauth_clients[policy] ?? []
    expect(clients.map((c) => c.client_id)).toContain(body.client_id)
  })

  it('jwt: answers the RawKey form', async () => {
    const request = await pendingOfAuthType(emu, 'jwt')
    const body = (await approve(request.id)).json<{ RawKey: string; Password: string }>()
    expect(body.RawKey.startsWith('eyJ')).toBe(true)
    expect(body.Password).toBe('')
  })

  it('a legacy for_plan-only request is approved on its for_plan policy', async () => {
    const { Data } = await list(emu, '/api/portal/requests?p=-1&approved=false')
    const legacy = (Data ?? []).find((r) => !('apply_policies' in r)) as KeyRequestDoc
    const result = await approve(legacy.id)
    expect(result.status).toBe(200)
    expect(emu.control.issuedKeys(legacy.id)[0]?.policies).toEqual([legacy.for_plan])
  })
})

describe('approve refusals', () => {
  it('a second approve answers 400 Key request has already been processed.', async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    await approve(request.id)
    const second = await approve(request.id)
    expect(second.status).toBe(400)
    expect(second.text).toBe(
      '{"Status":"Error","Message":"Key request has already been processed.","Meta":null}'
    )
    expect(emu.control.stats().approvals[request.id]).toBe(1)
  })

  it('with guardDoubleApprove off a second approve issues and counts a second key', async () => {
    emu.control.setSwitches({ guardDoubleApprove: false })
    const request = await pendingOfAuthType(emu, 'authToken')
    const first = (await approve(request.id)).json<{ RawKey: string }>()
    const second = await approve(request.id)
    expect(second.status).toBe(200)
    expect(second.json<{ RawKey: string }>().RawKey).not.toBe(first.RawKey)
    expect(emu.control.stats().approvals[request.id]).toBe(2)
    expect(emu.control.issuedKeys(request.id)).toHaveLength(2)
  })

  it('an unknown id answers 404 Could not retrieve portal object.', async () => {
    const result = await approve('5e9d9544a1dcd60001d0ed20')
    expect(result.status).toBe(404)
    expect(result.json()).toMatchObject({ Message: 'Could not retrieve portal object.' })
  })

  it('a deleted policy answers 400 No policy found! and leaves the request pending', async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    expect(emu.control.deletePolicy(request.apply_policies?.[0] as string)).toBe(true)
    const result = await approve(request.id)
    expect(result.status).toBe(400)
    expect(result.json()).toMatchObject({ Message: 'No policy found!' })
    expect(emu.control.getRequest(request.id)?.approved).toBe(false)
  })

  it('a deleted developer answers 404 Could not retrieve portal object. and leaves it pending', async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    expect(emu.control.deleteDeveloper(request.by_user)).toBe(true)
    const result = await approve(request.id)
    expect(result.status).toBe(404)
    expect(result.json()).toMatchObject({ Message: 'Could not retrieve portal object.' })
    expect(emu.control.getRequest(request.id)?.approved).toBe(false)
    expect(emu.control.stats().approvals).toEqual({})
  })
})
