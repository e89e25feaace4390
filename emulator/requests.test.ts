import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { api, list, startTestEmulator, type KeyRequestDoc } from './test-support'
import type { RunningEmulator } from './types'

let emu: RunningEmulator
let developerId: string
let policyId: string

beforeAll(async () => {
  emu = await startTestEmulator()
  developerId = ((await list(emu, '/api/portal/developers?p=1')).Data?.[0] as { id: string }).id
  policyId = (
    (await list<{ _id: string }>(emu, '/api/portal/policies?p=1&active=1')).Data?.[0] as {
      _id: string
    }
  )._id
})
beforeEach(() => emu.control.reset())
afterAll(async () => {
  await emu.close()
})

async function create(body: unknown): Promise<string> {
  const result = await api(emu, 'POST', '/api/portal/requests', { body: JSON.stringify(body) })
  expect(result.status, result.text).toBe(200)
  return result.json<{ Message: string }>().Message
}

describe('POST /api/portal/requests', () => {
  it('returns the new 24-hex id in Message, with Status OK and Meta null', async () => {
    const result = await api(emu, 'POST', '/api/portal/requests', {
      body: { by_user: developerId, apply_policies: [policyId], fields: { reason: 'x' } }
    })
    const body = result.json<Record<string, unknown>>()
    expect(Object.keys(body)).toEqual(['Status', 'Message', 'Meta'])
    expect(body.Status).toBe('OK')
    expect(body.Message).toMatch(/^[0-9a-f]{24}$/)
    expect(body.Meta).toBeNull()
  })

  it('fills date_created and org_id, stores it pending, newest first', async () => {
    const id = await create({ by_user: developerId, apply_policies: [policyId], approved: false })
    const doc = (await api(emu, 'GET', `/api/portal/requests/${id}`)).json<KeyRequestDoc>()
    expect(Date.parse(doc.date_created)).not.toBeNaN()
    expect(doc.org_id).toMatch(/^[0-9a-f]{24}$/)
    expect(doc.approved).toBe(false)
    expect(doc.portal_developer.id).toBe(developerId)
    const first = (await list(emu, '/api/portal/requests?p=1&approved=false')).Data?.[0]
    expect(first?.id).toBe(id)
  })

  it('keeps a date_created the client sent', async () => {
    const date = '2015-05-08T04:49:20.992-04:00'
    const id = await create({
      by_user: developerId,
      apply_policies: [policyId],
      date_created: date
    })
    expect(emu.control.getRequest(id)?.date_created).toBe(date)
  })

  it('stores approved:true as given, so approving it fails as already processed', async () => {
    const id = await create({ by_user: developerId, apply_policies: [policyId], approved: true })
    expect(emu.control.getRequest(id)?.approved).toBe(true)
    const approve = await api(emu, 'PUT', `/api/portal/requests/approve/${id}`)
    expect(approve.status).toBe(400)
    expect(approve.json()).toMatchObject({ Message: 'Key request has already been processed.' })
    expect(emu.control.issuedKeys(id)).toEqual([])
  })

  it('answers 403 Request body malformed. for bad JSON, a wrong type or no body', async () => {
    for (const body of ['{"by_user":', '{"approved":"yes"}', '[1,2]', '']) {
      const result = await api(emu, 'POST', '/api/portal/requests', { body })
      expect(result.status, body).toBe(403)
      expect(result.text).toBe('{"Status":"Error","Message":"Request body malformed.","Meta":null}')
    }
    expect(emu.control.requestIds()).toHaveLength(35)
  })

  it('answers 400 No policy found! for an unknown policy', async () => {
    const result = await api(emu, 'POST', '/api/portal/requests', {
      body: { by_user: developerId, apply_policies: ['000000000000000000000000'] }
    })
    expect(result.status).toBe(400)
    expect(result.json()).toMatchObject({ Status: 'Error', Message: 'No policy found!' })
  })
})

describe('PUT /api/portal/requests/{id}', () => {
  it('replaces the document and answers its id in Message', async () => {
    const id = await create({
      by_user: developerId,
      apply_policies: [policyId],
      fields: { a: '1' }
    })
    const result = await api(emu, 'PUT', `/api/portal/requests/${id}`, {
      body: { by_user: developerId, apply_policies: [policyId], fields: { a: '2' } }
    })
    expect(result.status).toBe(200)
    expect(result.json()).toEqual({ Status: 'OK', Message: id, Meta: null })
    expect(emu.control.getRequest(id)?.fields).toEqual({ a: '2' })
  })

  it('answers 404 for an unknown id and 403 for a malformed body', async () => {
    const unknown = await api(emu, 'PUT', '/api/portal/requests/5e9d9544a1dcd60001d0ed20', {
      body: {}
    })
    expect(unknown.status).toBe(404)
    const id = emu.control.requestIds({ approved: false })[0] as string
    const malformed = await api(emu, 'PUT', `/api/portal/requests/${id}`, { body: '{' })
    expect(malformed.status).toBe(403)
  })
})

describe('DELETE /api/portal/requests/{id}', () => {
  it('answers Data deleted, then the request is gone', async () => {
    const id = emu.control.requestIds({ approved: false })[0] as string
    const result = await api(emu, 'DELETE', `/api/portal/requests/${id}`)
    expect(result.status).toBe(200)
    expect(result.text).toBe('{"Status":"OK","Message":"Data deleted","Meta":null}')
    expect((await api(emu, 'GET', `/api/portal/requests/${id}`)).status).toBe(404)
    expect(emu.control.stats()).toMatchObject({
      deletes: { [id]: 1 },
      deletesOfApproved: 0,
      pending: 24
    })
  })

  it('answers 404 Could not retrieve object for deletion for an unknown id', async () => {
    const result = await api(emu, 'DELETE', '/api/portal/requests/5e9d9544a1dcd60001d0ed20')
    expect(result.status).toBe(404)
    expect(result.json()).toMatchObject({ Message: 'Could not retrieve object for deletion' })
  })

  it('deletes an approved request too, and counts it in deletesOfApproved', async () => {
    const id = emu.control.requestIds({ approved: true })[0] as string
    const result = await api(emu, 'DELETE', `/api/portal/requests/${id}`)
    expect(result.status).toBe(200)
    expect(emu.control.stats().deletesOfApproved).toBe(1)
  })
})

describe('seeded legacy requests', () => {
  it('carry for_plan only (no apply_policies) and still embed their catalogue entry', async () => {
    const { Data } = await list(emu, '/api/portal/requests?p=-1&approved=false')
    const legacy = (Data ?? []).filter((r) => !('apply_policies' in r))
    expect(legacy.length).toBeGreaterThanOrEqual(2)
    for (const r of legacy) {
      expect(r.for_plan).toMatch(/^[0-9a-f]{24}$/)
      expect(r.catalogue_entry.policy_id).toBe(r.for_plan)
    }
  })
})
