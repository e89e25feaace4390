import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, list, readOnlySecret, startTestEmulator, testSecret } from './test-support'
import type { RunningEmulator } from './types'

let emu: RunningEmulator
let pendingId: string

beforeAll(async () => {
  emu = await startTestEmulator()
  pendingId = (await list(emu, '/api/portal/requests?p=1&approved=false')).Data?.[0]?.id ?? ''
})
afterAll(async () => {
  await emu.close()
})

const notAuthorised = '{"Status":"Error","Message":"Not authorised","Meta":null}'

describe('authentication', () => {
  it('answers 401 Not authorised without an authorization header', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests', { auth: null })
    expect(result.status).toBe(401)
    expect(result.text).toBe(notAuthorised)
  })

  it('answers 401 Not authorised for a wrong secret', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests', { auth: 'not-the-secret' })
    expect(result.status).toBe(401)
    expect(result.text).toBe(notAuthorised)
  })

  it('takes the raw secret, whatever the header name case', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests?p=1', {
      auth: null,
      headers: { Authorization: testSecret }
    })
    expect(result.status).toBe(200)
  })

  it('rejects "Bearer <secret>" by default (acceptBearer off)', async () => {
    const result = await api(emu, 'GET', '/api/portal/requests', { auth: `Bearer ${testSecret}` })
    expect(result.status).toBe(401)
  })

  it('needs no Content-Type on writes, and takes curl -d form content-type too', async () => {
    const developer = (await list(emu, '/api/portal/developers?p=1')).Data?.[0] as { id: string }
    const policy = (await list<{ _id: string }>(emu, '/api/portal/policies?p=1')).Data?.[0] as {
      _id: string
    }
    const body = { by_user: developer.id, apply_policies: [policy._id], approved: false }
    const bare = await api(emu, 'POST', '/api/portal/requests', { body })
    expect(bare.status).toBe(200)
    const form = await api(emu, 'POST', '/api/portal/requests', {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    })
    expect(form.status).toBe(200)
  })
})

describe('the read-only user', () => {
  it('may read requests, developers, policies, catalogue and configuration', async () => {
    for (const path of [
      '/api/portal/requests?p=1',
      `/api/portal/requests/${pendingId}`,
      '/api/portal/developers?p=1',
      '/api/portal/policies?p=1',
      '/api/portal/catalogue',
      '/api/portal/configuration'
    ]) {
      const result = await api(emu, 'GET', path, { auth: readOnlySecret })
      expect(result.status, path).toBe(200)
    }
  })

  it('gets 403 access denied (with the double space) on every write, and nothing changes', async () => {
    const writes: [string, string, object | undefined][] = [
      ['POST', '/api/portal/requests', {}],
      ['PUT', `/api/portal/requests/${pendingId}`, {}],
      ['PUT', `/api/portal/requests/approve/${pendingId}`, undefined],
      ['DELETE', `/api/portal/requests/${pendingId}`, undefined],
      // The permission is checked before the lookup: Keygate's write check relies on it.
      ['DELETE', '/api/portal/requests/000000000000000000000000', undefined]
    ]
    for (const [method, path, body] of writes) {
      const result = await api(emu, method, path, { auth: readOnlySecret, body })
      expect(result.status, `${method} ${path}`).toBe(403)
      expect(result.json()).toEqual({
        Status: 'Error',
        Message: `access denied: You do not have permission to access  ${path}`,
        Meta: null
      })
    }
    expect(emu.control.getRequest(pendingId)?.approved).toBe(false)
    expect(emu.control.stats().approvals).toEqual({})
  })
})
