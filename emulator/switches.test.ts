import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { murmur64Hex } from './murmur3'
import { defaultSwitches } from './settings'
import {
  api,
  controlCall,
  list,
  pendingOfAuthType,
  startTestEmulator,
  testSecret,
  type KeyRequestDoc
} from './test-support'
import type { JsonObject, RunningEmulator } from './types'

let emu: RunningEmulator

beforeAll(async () => {
  emu = await startTestEmulator()
})
beforeEach(() => {
  emu.control.reset()
  emu.control.setSwitches({ ...defaultSwitches })
})
afterAll(async () => {
  await emu.close()
})

const approve = (id: string) => api(emu, 'PUT', `/api/portal/requests/approve/${id}`)

describe('paging switches', () => {
  it('pageSize sets the page length and Pages', async () => {
    emu.control.setSwitches({ pageSize: 4 })
    const page = await list(emu, '/api/portal/requests?p=2&approved=false')
    expect(page.Data).toHaveLength(4)
    expect(page.Pages).toBe(7)
  })

  it('pZero first-page makes p=0 and an absent p return page 1', async () => {
    emu.control.setSwitches({ pZero: 'first-page' })
    for (const query of ['p=0&', '']) {
      const page = await list(emu, `/api/portal/requests?${query}approved=false`)
      expect(page.Data).toHaveLength(10)
    }
    expect((await list(emu, '/api/portal/requests?p=-1&approved=false')).Data).toHaveLength(25)
  })

  it('pagesWhenAll zero reports Pages 0 when everything is returned', async () => {
    emu.control.setSwitches({ pagesWhenAll: 'zero' })
    expect((await list(emu, '/api/portal/requests?p=-1')).Pages).toBe(0)
    expect((await list(emu, '/api/portal/requests?p=1')).Pages).toBe(4)
  })

  it('sortOrder oldest-first reverses every list', async () => {
    const newest = (await list(emu, '/api/portal/requests?p=-1')).Data ?? []
    emu.control.setSwitches({ sortOrder: 'oldest-first' })
    const oldest = (await list(emu, '/api/portal/requests?p=-1')).Data ?? []
    expect(oldest.map((r) => r.id)).toEqual(newest.map((r) => r.id).reverse())
    const firstPage = (await list(emu, '/api/portal/requests?p=1')).Data ?? []
    expect(firstPage.map((r) => r.id)).toEqual(oldest.slice(0, 10).map((r) => r.id))
  })

  it('strictPageParam answers 400 for a non-integer p, which is otherwise read as 0', async () => {
    expect((await list(emu, '/api/portal/requests?p=abc')).Data).toHaveLength(35)
    emu.control.setSwitches({ strictPageParam: true })
    const result = await api(emu, 'GET', '/api/portal/requests?p=abc')
    expect(result.status).toBe(400)
    expect(result.json()).toMatchObject({ Status: 'Error', Message: 'Invalid page number.' })
  })

  it('emptyData null answers an empty page as {"Data":null}', async () => {
    emu.control.setSwitches({ emptyData: 'null' })
    const result = await api(emu, 'GET', '/api/portal/requests?p=99')
    expect(result.text).toBe('{"Data":null,"Pages":4}')
  })
})

describe('envelope and auth switches', () => {
  it('meta empty-string sends Meta ""', async () => {
    emu.control.setSwitches({ meta: 'empty-string' })
    const result = await api(emu, 'DELETE', '/api/portal/requests/5e9d9544a1dcd60001d0ed20')
    expect(result.json()).toEqual({
      Status: 'Error',
      Message: 'Could not retrieve object for deletion',
      Meta: ''
    })
  })

  it('acceptBearer takes "Bearer <secret>"', async () => {
    emu.control.setSwitches({ acceptBearer: true })
    const result = await api(emu, 'GET', '/api/portal/requests?p=1', {
      auth: `Bearer ${testSecret}`
    })
    expect(result.status).toBe(200)
  })

  it('policyAccess none makes policies 403 for the admin while requests still work', async () => {
    emu.control.setSwitches({ policyAccess: 'none' })
    const result = await api(emu, 'GET', '/api/portal/policies?p=1')
    expect(result.status).toBe(403)
    expect(result.json()).toMatchObject({
      Message: 'access denied: You do not have permission to access  /api/portal/policies'
    })
    expect((await api(emu, 'GET', '/api/portal/requests?p=1')).status).toBe(200)
  })

  it('policyIdField mirror copies _id into id', async () => {
    emu.control.setSwitches({ policyIdField: 'mirror' })
    const { Data } = await list<{ _id: string; id: string }>(emu, '/api/portal/policies?p=-1')
    for (const policy of Data ?? []) expect(policy.id).toBe(policy._id)
  })

  it('strictIds answers 400 Invalid ... ID. for ids that are not 24 hex', async () => {
    expect((await api(emu, 'GET', '/api/portal/requests/not-an-id')).status).toBe(404)
    emu.control.setSwitches({ strictIds: true })
    const result = await api(emu, 'GET', '/api/portal/requests/not-an-id')
    expect(result.status).toBe(400)
    expect(result.json()).toMatchObject({ Message: 'Invalid key request ID.' })
    expect((await approve('not-an-id')).json()).toMatchObject({
      Message: 'Invalid key request ID.'
    })
    expect((await api(emu, 'GET', '/api/portal/policies/zz')).json()).toMatchObject({
      Message: 'Invalid policy ID.'
    })
  })
})

describe('write switches', () => {
  it('createValidatesPolicy off stores a request for an unknown policy', async () => {
    emu.control.setSwitches({ createValidatesPolicy: false })
    const developer = emu.control.exportState().developers[0] as JsonObject
    const result = await api(emu, 'POST', '/api/portal/requests', {
      body: { by_user: developer.id, apply_policies: ['000000000000000000000000'] }
    })
    expect(result.status).toBe(200)
  })

  it('updateMessage data-updated answers PUT with Data updated', async () => {
    emu.control.setSwitches({ updateMessage: 'data-updated' })
    const id = emu.control.requestIds({ approved: false })[0] as string
    const result = await api(emu, 'PUT', `/api/portal/requests/${id}`, {
      body: emu.control.getRequest(id) ?? {}
    })
    expect(result.json()).toMatchObject({ Status: 'OK', Message: 'Data updated' })
  })

  it('deleteRevokesKey removes the key of a deleted approved request from its developer', async () => {
    const [kept, revoked] = await Promise.all([
      pendingOfAuthType(emu, 'authToken'),
      list(emu, '/api/portal/requests?p=-1&approved=false').then(
        ({ Data }) =>
          (Data ?? []).filter(
            (r) => r.catalogue_entry.auth_type === 'authToken' && Array.isArray(r.apply_policies)
          )[1] as KeyRequestDoc
      )
    ])
    for (const r of [kept, revoked]) await approve(r.id)
    await api(emu, 'DELETE', `/api/portal/requests/${kept.id}`)
    emu.control.setSwitches({ deleteRevokesKey: true })
    await api(emu, 'DELETE', `/api/portal/requests/${revoked.id}`)
    const keyOf = (id: string) => emu.control.issuedKeys(id)[0]
    const developerKeys = async (developerId: string) =>
      Object.keys(
        (await api(emu, 'GET', `/api/portal/developers/${developerId}`)).json<{ keys: object }>()
          .keys
      )
    expect(await developerKeys(kept.by_user)).toContain(keyOf(kept.id)?.keyId)
    expect(await developerKeys(revoked.by_user)).not.toContain(keyOf(revoked.id)?.keyId)
    expect(keyOf(revoked.id)?.revoked).toBe(true)
  })
})

describe('approve switches', () => {
  it('secureKeyApproval shows in the configuration; secureKeyResponse no-key empties RawKey', async () => {
    emu.control.setSwitches({ secureKeyApproval: true })
    const config = (await api(emu, 'GET', '/api/portal/configuration')).json<JsonObject>()
    expect(config.secure_key_approval).toBe(true)
    const [first, second] = (
      (await list(emu, '/api/portal/requests?p=-1&approved=false')).Data ?? []
    )
      .filter((r) => r.catalogue_entry.auth_type === 'authToken')
      .map((r) => r.id)
    expect((await approve(first as string)).json<{ RawKey: string }>().RawKey).not.toBe('')
    emu.control.setSwitches({ secureKeyResponse: 'no-key' })
    expect((await approve(second as string)).json()).toEqual({ RawKey: '', Password: '' })
  })

  it('approveMissingDeveloper allow issues the key anyway', async () => {
    emu.control.setSwitches({ approveMissingDeveloper: 'allow' })
    const request = await pendingOfAuthType(emu, 'authToken')
    emu.control.deleteDeveloper(request.by_user)
    const result = await approve(request.id)
    expect(result.status).toBe(200)
    expect(emu.control.getRequest(request.id)?.approved).toBe(true)
  })

  it('approveMissingPolicy allow issues the key anyway', async () => {
    emu.control.setSwitches({ approveMissingPolicy: 'allow' })
    const request = await pendingOfAuthType(emu, 'authToken')
    emu.control.deletePolicy(request.apply_policies?.[0] as string)
    expect((await approve(request.id)).status).toBe(200)
  })

  it('approveUnknownId empty-500 answers a bodyless 500', async () => {
    emu.control.setSwitches({ approveUnknownId: 'empty-500' })
    const result = await approve('5e9d9544a1dcd60001d0ed20')
    expect(result.status).toBe(500)
    expect(result.text).toBe('')
  })

  it('existingKeyApproval: a request naming an issued key updates that key, or gets a new one', async () => {
    const first = await pendingOfAuthType(emu, 'authToken')
    const { RawKey } = (await approve(first.id)).json<{ RawKey: string }>()
    const policies =
      (await list<{ _id: string }>(emu, '/api/portal/policies?p=-1&active=1')).Data ?? []
    const extra = policies
      .map((p) => p._id)
      .find((id) => !first.apply_policies?.includes(id)) as string
    const body = { by_user: first.by_user, apply_policies: [extra], key: RawKey }
    const created = await api(emu, 'POST', '/api/portal/requests', { body })
    const updateId = created.json<{ Message: string }>().Message
    expect((await approve(updateId)).json()).toEqual({ RawKey, Password: '' })
    const developer = (await api(emu, 'GET', `/api/portal/developers/${first.by_user}`)).json<{
      keys: Record<string, string[]>
    }>()
    expect(developer.keys[murmur64Hex(RawKey)]).toEqual([...(first.apply_policies ?? []), extra])
    expect(emu.control.issuedKeys(updateId)[0]?.updatedExisting).toBe(true)

    emu.control.setSwitches({ existingKeyApproval: 'issue-new' })
    const again = await api(emu, 'POST', '/api/portal/requests', { body })
    const fresh = await approve(again.json<{ Message: string }>().Message)
    expect(fresh.json<{ RawKey: string }>().RawKey).not.toBe(RawKey)
  })
})

describe('switches over HTTP and validation', () => {
  it('POST /__emulator/switches sets them; bad names or values answer 400', async () => {
    const set = await controlCall(emu, 'POST', 'switches', { body: { pageSize: 3 } })
    expect(set.json()).toMatchObject({ pageSize: 3 })
    expect((await list(emu, '/api/portal/requests?p=1')).Data).toHaveLength(3)
    const bad = await controlCall(emu, 'POST', 'switches', { body: { pZero: 'sometimes' } })
    expect(bad.status).toBe(400)
    expect(bad.json<{ error: string }>().error).toMatch(/pZero/)
    expect(() => emu.control.setSwitches({ bogus: true } as never)).toThrow(/bogus/)
  })
})

describe('hmac entries (state loaded from a data file)', () => {
  it('hmacReturnsSecret adds hmac_string to the RawKey body', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-emulator-'))
    try {
      const state = emu.control.exportState()
      const entries = state.catalogue.apis as JsonObject[]
      for (const entry of entries) entry.auth_type = 'hmac'
      const file = path.join(dir, 'state.json')
      writeFileSync(file, JSON.stringify(state))
      const loaded = await startTestEmulator({
        dataFile: file,
        switches: { hmacReturnsSecret: true }
      })
      try {
        const request = await pendingOfAuthType(loaded, 'hmac')
        const body = (
          await api(loaded, 'PUT', `/api/portal/requests/approve/${request.id}`)
        ).json<JsonObject>()
        expect(Object.keys(body)).toEqual(['RawKey', 'Password', 'hmac_string'])
        expect(loaded.control.requestIds()).toEqual(emu.control.requestIds())
      } finally {
        await loaded.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
