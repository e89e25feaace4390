import { describe, expect, it } from 'vitest'
import {
  clientFor,
  emulator,
  failureOf,
  pendingOfAuthType,
  policyNames,
  state,
  str
} from './tyk-classic-client.test-harness'

describe('reading key requests', () => {
  it('lists every pending request across pages, normalised, with policy names', async () => {
    const list = await clientFor().listRequests('pending')
    const expectedIds = emulator.control.requestIds({ approved: false })
    expect(list.map((r) => r.id).sort()).toEqual([...expectedIds].sort())
    expect(list).toHaveLength(25)
    const names = policyNames()
    for (const request of list) {
      const raw = emulator.control.getRequest(request.id) ?? {}
      expect(request.profileId).toBe('profile-1')
      expect(request.approved).toBe(false)
      expect(request.queued).toBeNull()
      expect(request.raw.id).toBe(request.id)
      expect(request.developer.id).toBe(raw.by_user)
      expect(request.developer.email).toMatch(/@/)
      expect(request.createdAt).toBe(new Date(str(raw.date_created)).toISOString())
      expect(request.policies.length).toBeGreaterThan(0)
      for (const policy of request.policies) expect(policy.name).toBe(names.get(policy.id))
      expect(request.catalogue?.name).toBeTruthy()
    }
  })

  it('lists the approved history', async () => {
    const list = await clientFor().listRequests('approved')
    expect(list.map((r) => r.id).sort()).toEqual(
      [...emulator.control.requestIds({ approved: true })].sort()
    )
    expect(list.every((r) => r.approved)).toBe(true)
  })

  it('asks once with p=-1 when the Dashboard is known to honour it', async () => {
    const client = clientFor()
    await client.listRequests('pending')
    const before = emulator.control.stats().requests
    await client.listRequests('pending')
    expect(emulator.control.stats().requests - before).toBe(1)
  })

  it('reads everything whatever Pages says and whatever the page size', async () => {
    emulator.control.setSwitches({ pagesWhenAll: 'zero', pageSize: 3 })
    expect(await clientFor().listRequests('pending')).toHaveLength(25)
    emulator.control.setSwitches({ pagesWhenAll: 'ceil', pageSize: 4 })
    expect(await clientFor().listRequests('pending')).toHaveLength(25)
  })

  it('returns an empty list when the Dashboard sends Data null', async () => {
    emulator.control.setSwitches({ emptyData: 'null' })
    for (const id of emulator.control.requestIds({ approved: false })) {
      emulator.control.approveDirectly(id)
    }
    expect(await clientFor().listRequests('pending')).toEqual([])
  })

  it('reads page 1 with its page count in one call, as the whole list reads it, for the change probe', async () => {
    const client = clientFor()
    const all = await client.listRequests('pending')
    const before = emulator.control.stats().requests
    const page = await client.firstPage!('pending')
    expect(emulator.control.stats().requests - before).toBe(1)
    expect(page).toEqual({ items: all.slice(0, 10), pages: 3 })
    expect(page.items[0]!.policies[0]!.name).not.toBeNull()

    emulator.control.setSwitches({ emptyData: 'null' })
    for (const id of emulator.control.requestIds({ approved: false })) {
      emulator.control.approveDirectly(id)
    }
    expect(await client.firstPage!('pending')).toEqual({ items: [], pages: 0 })
  })

  it('validates page 1 as strictly as the whole list: the same entry is quarantined in both', async () => {
    const [id] = emulator.control.insertRequests([
      { approved: false, date_created: '2030-01-01T00:00:00Z', apply_policies: 'not-a-list' }
    ])
    const client = clientFor()
    const page = await client.firstPage!('pending')
    const listed = await client.listRequests('pending')
    for (const found of [page.items, listed].map((items) => items.find((r) => r.id === id))) {
      expect(found?.unreadable).toMatch(/^apply_policies /)
    }
  })

  it('gets one request with the same content the list shows', async () => {
    const client = clientFor()
    const [first] = await client.listRequests('pending')
    if (!first) throw new Error('no pending request')
    const detail = await client.getRequest(first.id)
    expect(detail).toEqual(first)
  })

  it('throws NOT_FOUND for a request that was removed', async () => {
    const [id] = emulator.control.requestIds({ approved: false })
    emulator.control.deleteDirectly(id as string)
    const failure = await failureOf(clientFor().getRequest(id as string))
    expect(failure.error.code).toBe('NOT_FOUND')
    expect(failure.message).toBe(`Key request ${id} no longer exists on the Dashboard (404)`)
    expect(failure.details).toEqual({ status: 404, outcomeUnknown: false, retryAfterMs: null })
  })

  it('lists every developer across pages', async () => {
    const developers = await clientFor().listDevelopers()
    const expected = state().developers
    expect(developers.map((d) => d.id).sort()).toEqual(expected.map((d) => str(d.id)).sort())
    for (const developer of developers) {
      const doc = expected.find((d) => d.id === developer.id)
      expect(developer.email).toBe(doc?.email)
      expect(developer.inactive).toBe(doc?.inactive ?? false)
    }
  })

  it('lists policies by `_id`, caches them, and re-reads on refresh', async () => {
    const client = clientFor()
    const policies = await client.listPolicies()
    expect(new Map(policies.map((p) => [p.id, p.name]))).toEqual(policyNames())
    const before = emulator.control.stats().requests
    await client.listPolicies()
    expect(emulator.control.stats().requests).toBe(before)
    await client.listPolicies(true)
    expect(emulator.control.stats().requests).toBe(before + 1)
  })

  it('leaves policy names null when the user may not read policies (403), without failing', async () => {
    emulator.control.setSwitches({ policyAccess: 'none' })
    const client = clientFor()
    const list = await client.listRequests('pending')
    expect(list).toHaveLength(25)
    expect(list.flatMap((r) => r.policies).every((p) => p.name === null)).toBe(true)
    const failure = await failureOf(client.listPolicies())
    expect(failure.error.code).toBe('FORBIDDEN')
    expect(failure.message).toContain('policy read')
  })
})

describe('documented variants inserted as raw documents', () => {
  it('normalises `_id`, legacy for_plan-only, odd fields, missing dates and unknown fields', async () => {
    const policy = state().policies[0] as Record<string, unknown>
    const developer = state().developers[0] as Record<string, unknown>
    const policyId = str(policy._id)
    const [underscoreId, legacyId, oddId, deletedDevId] = emulator.control.insertRequests([
      {
        _id: '5a0000000000000000000001',
        by_user: developer.id,
        apply_policies: [policyId],
        approved: false,
        date_created: '2019-06-04T07:21:35.97Z',
        fields: {}
      },
      {
        id: '5a0000000000000000000002',
        by_user: developer.id,
        for_plan: policyId,
        for_api: 'api-v1-legacy',
        approved: false,
        version: '',
        date_created: '2015-05-08T04:49:20.992-04:00'
      },
      {
        id: '5a0000000000000000000003',
        by_user: developer.id,
        apply_policies: [policyId],
        approved: false,
        fields: { purpose: 'mobile app', seats: 12, beta: true },
        oauth_info: { redirect_uri: 'http://a,http://b' },
        x_vendor_extension: { nested: [1, 2] }
      },
      {
        id: '5a0000000000000000000004',
        by_user: 'ffffffffffffffffffffffff',
        apply_policies: [policyId],
        approved: false,
        date_created: '0001-01-01T00:00:00Z'
      }
    ])
    const list = await clientFor().listRequests('pending')
    const byId = new Map(list.map((r) => [r.id, r]))

    expect(byId.get(underscoreId as string)?.createdAt).toBe('2019-06-04T07:21:35.970Z')

    const legacy = byId.get(legacyId as string)
    expect(legacy?.details.legacy).toBe(true)
    expect(legacy?.policies).toEqual([{ id: policyId, name: str(policy.name) }])
    expect(legacy?.createdAt).toBe('2015-05-08T08:49:20.992Z')
    expect(legacy?.details.forApi).toBe('api-v1-legacy')
    expect(legacy?.details.version).toBeNull()

    const odd = byId.get(oddId as string)
    expect(odd?.fields).toEqual({ purpose: 'mobile app', seats: '12', beta: 'true' })
    expect(odd?.details.oauthRedirectUri).toBe('http://a,http://b')
    expect(odd?.createdAt).toBeNull()
    expect(odd?.raw.x_vendor_extension).toEqual({ nested: [1, 2] })

    const orphan = byId.get(deletedDevId as string)
    expect(orphan?.developer).toEqual({ id: 'ffffffffffffffffffffffff', email: null })
    expect(orphan?.createdAt).toBeNull()
  })

  it('accepts the old Dashboard\'s `Meta: ""` on writes', async () => {
    emulator.control.setSwitches({ meta: 'empty-string' })
    const [id] = emulator.control.requestIds({ approved: false })
    await clientFor().decline(id as string)
    expect(emulator.control.getRequest(id as string)).toBeNull()
  })
})

describe('approving', () => {
  it('returns the RawKey of an authToken entry, exactly as the Dashboard issued it', async () => {
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'authToken')
    const credential = await client.approve(id)
    const [issued] = emulator.control.issuedKeys(id)
    expect(credential).toEqual({ kind: 'key', rawKey: issued?.response.RawKey })
    expect(emulator.control.getRequest(id)?.approved).toBe(true)
  })

  it('returns legacy-format keys too', async () => {
    emulator.control.setSwitches({ rawKeyFormat: 'legacy' })
    const client = clientFor()
    const credential = await client.approve(await pendingOfAuthType(client, 'authToken'))
    expect(credential.kind === 'key' && /^[0-9a-f]{56}$/.test(credential.rawKey)).toBe(true)
  })

  it('returns username and password for a basic-auth entry', async () => {
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'basic')
    const credential = await client.approve(id)
    const response = emulator.control.issuedKeys(id)[0]?.response ?? {}
    expect(credential).toEqual({
      kind: 'basic',
      username: response.RawKey,
      password: response.Password
    })
  })

  it('returns the OAuth client for an oauth entry', async () => {
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'oauth')
    const credential = await client.approve(id)
    const response = emulator.control.issuedKeys(id)[0]?.response ?? {}
    expect(credential).toEqual({
      kind: 'oauth',
      clientId: response.client_id,
      secret: response.secret,
      policyId: response.policy_id || null,
      redirectUri: response.redirect_uri || null
    })
  })

  it('throws CONFLICT when the request was already processed, issuing nothing more', async () => {
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'authToken')
    await client.approve(id)
    const again = await failureOf(client.approve(id))
    expect(again.error).toEqual({
      code: 'CONFLICT',
      message: 'The key request was already processed on the Dashboard (approved elsewhere)',
      retryable: false
    })
    const [other] = emulator.control.requestIds({ approved: false })
    emulator.control.approveDirectly(other as string)
    expect((await failureOf(client.approve(other as string))).error.code).toBe('CONFLICT')
    expect(emulator.control.stats().approvals[id]).toBe(1)
    expect(emulator.control.stats().approvals[other as string]).toBe(1)
  })

  it('throws NOT_FOUND for a request that is gone', async () => {
    const [id] = emulator.control.requestIds({ approved: false })
    emulator.control.deleteDirectly(id as string)
    const failure = await failureOf(clientFor().approve(id as string))
    expect(failure.error.code).toBe('NOT_FOUND')
    expect(failure.details.outcomeUnknown).toBe(false)
  })

  it('says so when secure key approval withholds the key from the API caller', async () => {
    emulator.control.setSwitches({ secureKeyApproval: true, secureKeyResponse: 'no-key' })
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'authToken')
    const failure = await failureOf(client.approve(id))
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toContain('returned no credential')
    expect(emulator.control.getRequest(id)?.approved).toBe(true)
  })
})

describe('declining and creating', () => {
  it('declines with DELETE, and a second decline finds nothing', async () => {
    const [id] = emulator.control.requestIds({ approved: false })
    const client = clientFor()
    await client.decline(id as string)
    expect(emulator.control.getRequest(id as string)).toBeNull()
    expect(emulator.control.stats().deletes[id as string]).toBe(1)
    expect((await failureOf(client.decline(id as string))).error.code).toBe('NOT_FOUND')
  })

  it('creates an unapproved request with apply_policies, for_plan and date_created', async () => {
    const [first, second] = state().policies.map((p) => str(p._id))
    const developerId = str(state().developers[0]?.id)
    const client = clientFor()
    const id = await client.createRequest({
      developerId,
      policyIds: [first as string, second as string],
      fields: { purpose: 'integration test' }
    })
    const doc = emulator.control.getRequest(id)
    expect(doc).toMatchObject({
      by_user: developerId,
      approved: false,
      apply_policies: [first, second],
      for_plan: first,
      fields: { purpose: 'integration test' }
    })
    expect(Number.isNaN(Date.parse(str(doc?.date_created)))).toBe(false)
    const pending = await client.listRequests('pending')
    expect(pending.find((r) => r.id === id)?.developer.id).toBe(developerId)
  })

  it("maps the portal's 400 message for an unknown policy to BAD_REQUEST", async () => {
    const failure = await failureOf(
      clientFor().createRequest({
        developerId: str(state().developers[0]?.id),
        policyIds: ['000000000000000000000000'],
        fields: {}
      })
    )
    expect(failure.error.code).toBe('BAD_REQUEST')
    expect(failure.message).toContain('No policy found!')
    expect(failure.details.outcomeUnknown).toBe(false)
  })

  it('refuses to create a request without policies before calling the Dashboard', async () => {
    const before = emulator.control.stats().requests
    const failure = await failureOf(
      clientFor().createRequest({ developerId: 'd', policyIds: [], fields: {} })
    )
    expect(failure.error.code).toBe('VALIDATION')
    expect(emulator.control.stats().requests).toBe(before)
  })
})
