import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  api,
  call,
  controlCall,
  list,
  pendingOfAuthType,
  startTestEmulator,
  type KeyRequestDoc
} from './test-support'
import type { EmulatorStats, IssuedKey, RunningEmulator } from './types'

let emu: RunningEmulator

beforeAll(async () => {
  emu = await startTestEmulator()
})
beforeEach(async () => {
  await controlCall(emu, 'POST', 'faults/clear')
  await controlCall(emu, 'POST', 'reset')
})
afterAll(async () => {
  await emu.close()
})

const stats = async () => (await controlCall(emu, 'GET', 'stats')).json<EmulatorStats>()

describe('control API over HTTP', () => {
  it('requires the emulator secret', async () => {
    const result = await controlCall(emu, 'GET', 'stats', { auth: null })
    expect(result.status).toBe(401)
    expect((await controlCall(emu, 'GET', 'stats', { auth: 'wrong' })).status).toBe(401)
  })

  it('is served on the main port under /__emulator/ as well', async () => {
    const result = await call(emu.url, 'GET', '/__emulator/stats')
    expect(result.status).toBe(200)
    expect(result.json()).toEqual(await stats())
  })

  it('GET stats reports approvals, deletes, deletesOfApproved, requests and pending', async () => {
    await api(emu, 'GET', '/api/portal/catalogue')
    expect(await stats()).toEqual({
      approvals: {},
      deletes: {},
      deletesOfApproved: 0,
      requests: 1,
      pending: 25
    })
  })

  it('POST faults merges and GET faults reads them; faults/clear resets them', async () => {
    const set = await controlCall(emu, 'POST', 'faults', {
      body: { errorRate: 1, errorStatus: 502 }
    })
    expect(set.json()).toMatchObject({ errorRate: 1, errorStatus: 502, offline: false })
    expect((await api(emu, 'GET', '/api/portal/catalogue')).status).toBe(502)
    expect((await controlCall(emu, 'GET', 'faults')).json()).toMatchObject({ errorStatus: 502 })
    await controlCall(emu, 'POST', 'faults/clear')
    expect((await api(emu, 'GET', '/api/portal/catalogue')).status).toBe(200)
    const bad = await controlCall(emu, 'POST', 'faults', { body: { dropRate: 'often' } })
    expect(bad.status).toBe(400)
  })

  it('POST requests inserts raw documents as given, odd and legacy ones included', async () => {
    const odd = { _id: 'legacy-underscore-id', for_plan: 'p1', by_user: 'nobody', fields: null }
    const approved = {
      id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      approved: true,
      date_created: '2020-01-01T00:00:00Z'
    }
    const result = await controlCall(emu, 'POST', 'requests', { body: [odd, approved] })
    expect(result.json()).toEqual({ ids: ['legacy-underscore-id', 'aaaaaaaaaaaaaaaaaaaaaaaa'] })
    const single = await api(emu, 'GET', '/api/portal/requests/legacy-underscore-id')
    expect(single.json()).toMatchObject({ ...odd, portal_developer: { id: '' }, catalogues: [] })
    expect(single.json()).not.toHaveProperty('id')
    expect((await stats()).pending).toBe(26)
    const noId = await controlCall(emu, 'POST', 'requests', {
      body: { requests: [{ fields: {} }] }
    })
    expect(noId.json<{ ids: string[] }>().ids[0]).toMatch(/^[0-9a-f]{24}$/)
  })

  it('POST generate adds pending requests that are the newest of all', async () => {
    const result = await controlCall(emu, 'POST', 'generate', { body: { count: 5 } })
    const { ids } = result.json<{ ids: string[] }>()
    expect(ids).toHaveLength(5)
    const firstPage = (await list(emu, '/api/portal/requests?p=1&approved=false')).Data ?? []
    expect(
      firstPage
        .slice(0, 5)
        .map((r) => r.id)
        .sort()
    ).toEqual([...ids].sort())
    expect((await stats()).pending).toBe(30)
    for (const r of firstPage.slice(0, 5)) {
      expect(r.portal_developer.email).toMatch(/@/)
      expect(r.catalogue_entry.name).not.toBe('')
    }
  })

  it('POST rival/approve/{id} approves like a Dashboard admin, bypassing faults, counted in stats', async () => {
    const id = (await list(emu, '/api/portal/requests?p=1&approved=false')).Data?.[0]?.id as string
    await controlCall(emu, 'POST', 'faults', { body: { errorRate: 1 } })
    const result = await controlCall(emu, 'POST', `rival/approve/${id}`)
    expect(result.json<{ status: number }>().status).toBe(200)
    expect((await stats()).approvals).toEqual({ [id]: 1 })
    const again = await controlCall(emu, 'POST', `rival/approve/${id}`)
    expect(again.json()).toMatchObject({
      status: 400,
      body: { Message: 'Key request has already been processed.' }
    })
  })

  it('POST rival/delete/{id} deletes, counted in stats', async () => {
    const id = (await list(emu, '/api/portal/requests?p=1&approved=true')).Data?.[0]?.id as string
    expect((await controlCall(emu, 'POST', `rival/delete/${id}`)).json()).toEqual({ deleted: true })
    expect((await controlCall(emu, 'POST', `rival/delete/${id}`)).json()).toEqual({
      deleted: false
    })
    expect(await stats()).toMatchObject({ deletes: { [id]: 1 }, deletesOfApproved: 1 })
  })

  it('GET requests/{id} and requests/{id}/keys show the stored document and issued keys', async () => {
    const id = (await list(emu, '/api/portal/requests?p=1&approved=false')).Data?.[0]?.id as string
    const approved = (await api(emu, 'PUT', `/api/portal/requests/approve/${id}`)).json<object>()
    const doc = (await controlCall(emu, 'GET', `requests/${id}`)).json<KeyRequestDoc>()
    expect(doc.approved).toBe(true)
    expect(doc).not.toHaveProperty('portal_developer')
    const { keys } = (await controlCall(emu, 'GET', `requests/${id}/keys`)).json<{
      keys: IssuedKey[]
    }>()
    expect(keys.map((k) => k.response)).toEqual([approved])
    expect((await controlCall(emu, 'GET', 'requests/missing')).status).toBe(404)
  })

  it('DELETE policies/{id} and developers/{id} remove them', async () => {
    const request = (await list(emu, '/api/portal/requests?p=1&approved=false'))
      .Data?.[0] as KeyRequestDoc
    const policy = request.catalogue_entry.policy_id
    expect((await controlCall(emu, 'DELETE', `policies/${policy}`)).json()).toEqual({
      deleted: true
    })
    expect((await api(emu, 'GET', `/api/portal/policies/${policy}`)).status).toBe(404)
    const dev = request.by_user
    expect((await controlCall(emu, 'DELETE', `developers/${dev}`)).json()).toEqual({
      deleted: true
    })
    expect((await api(emu, 'GET', `/api/portal/developers/${dev}`)).status).toBe(404)
  })

  it('POST reset restores the seeded state and zeroes stats', async () => {
    const before = (await controlCall(emu, 'GET', 'state')).json()
    await controlCall(emu, 'POST', 'generate', { body: { count: 3 } })
    const id = (await list(emu, '/api/portal/requests?p=1&approved=false')).Data?.[0]?.id as string
    await api(emu, 'PUT', `/api/portal/requests/approve/${id}`)
    const reset = await controlCall(emu, 'POST', 'reset')
    expect(reset.json()).toEqual({
      approvals: {},
      deletes: {},
      deletesOfApproved: 0,
      requests: 0,
      pending: 25
    })
    expect((await controlCall(emu, 'GET', 'state')).json()).toEqual(before)
  })

  it('GET requests lists ids, filtered by approved', async () => {
    const all = (await controlCall(emu, 'GET', 'requests')).json<{ ids: string[] }>().ids
    const approved = (await controlCall(emu, 'GET', 'requests?approved=true')).json<{
      ids: string[]
    }>().ids
    expect(all).toHaveLength(35)
    expect(approved).toEqual(emu.control.requestIds({ approved: true }))
  })

  it('answers 404 with a pointer to the README for an unknown endpoint', async () => {
    const result = await controlCall(emu, 'POST', 'nope')
    expect(result.status).toBe(404)
    expect(result.json<{ error: string }>().error).toMatch(/README/)
  })
})

describe('library control', () => {
  it('requestIds filters by approved and lists newest first', () => {
    const pending = emu.control.requestIds({ approved: false })
    const approved = emu.control.requestIds({ approved: true })
    expect(pending).toHaveLength(25)
    expect(approved).toHaveLength(10)
    const all = emu.control.requestIds()
    expect(all).toHaveLength(35)
    const times = all.map((id) => Date.parse(String(emu.control.getRequest(id)?.date_created)))
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('approveDirectly and deleteDirectly act like the Dashboard UI and count in stats', () => {
    const [a, b] = emu.control.requestIds({ approved: false }) as [string, string]
    expect(emu.control.approveDirectly(a)).toMatchObject({ status: 200 })
    expect(emu.control.deleteDirectly(b)).toBe(true)
    expect(emu.control.stats()).toMatchObject({
      approvals: { [a]: 1 },
      deletes: { [b]: 1 },
      pending: 23
    })
  })

  it('insertRequests and generatePending return the new ids', () => {
    expect(emu.control.insertRequests([{ id: 'x1', approved: false }])).toEqual(['x1'])
    expect(() => emu.control.insertRequests([{ id: 'x1' }])).toThrow(/already exists/)
    const generated = emu.control.generatePending(3)
    expect(emu.control.requestIds({ approved: false }).slice(0, 3).sort()).toEqual(
      [...generated].sort()
    )
  })

  it('DELETE catalogue/{policyId} removes the entry: the catalogue and the requests embeds lose it', async () => {
    const request = await pendingOfAuthType(emu, 'authToken')
    const policyId = request.apply_policies?.[0] as string
    const removed = await controlCall(emu, 'DELETE', `catalogue/${policyId}`)
    expect(removed.json()).toEqual({ deleted: true })
    const catalogue = (await api(emu, 'GET', '/api/portal/catalogue')).json<{
      apis: { policy_id: string }[]
    }>()
    expect(catalogue.apis.map((entry) => entry.policy_id)).not.toContain(policyId)
    const after = (
      await api(emu, 'GET', `/api/portal/requests/${request.id}`)
    ).json<KeyRequestDoc>()
    expect(after.catalogue_entry.policy_id ?? '').toBe('')
    expect(emu.control.deleteCatalogueEntry(policyId)).toBe(false)
  })
})
