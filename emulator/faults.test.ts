import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FaultInjector } from './faults'
import {
  api,
  call,
  callError,
  controlCall,
  pendingOfAuthType,
  startTestEmulator,
  testSecret
} from './test-support'
import type { RunningEmulator } from './types'

let emu: RunningEmulator

beforeAll(async () => {
  emu = await startTestEmulator()
})
afterEach(() => {
  emu.control.clearFaults()
  emu.control.reset()
})
afterAll(async () => {
  await emu.close()
})

function approve(id: string) {
  return api(emu, 'PUT', `/api/portal/requests/approve/${id}`)
}

describe('error injection', () => {
  it('answers errorStatus with the error envelope and applies nothing', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({ errorRate: 1, errorStatus: 503 })
    const result = await approve(target.id)
    expect(result.status).toBe(503)
    expect(result.json()).toEqual({ Status: 'Error', Message: 'Service Unavailable', Meta: null })
    expect(emu.control.getRequest(target.id)?.approved).toBe(false)
    expect(emu.control.stats().approvals).toEqual({})
  })

  it('echoes the request (authorization and body) in the Message with errorEcho request, applying nothing', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({ errorRate: 1, errorEcho: 'request' })
    const result = await api(emu, 'PUT', `/api/portal/requests/approve/${target.id}`, {
      body: '{"note":"echo me"}'
    })
    expect(result.status).toBe(500)
    expect(result.json()).toMatchObject({
      Message: `Failed to marshal data.: authorization ${testSecret} body {"note":"echo me"}`
    })
    expect(emu.control.getRequest(target.id)?.approved).toBe(false)
  })

  it('applies the request, then echoes its answer in the Message with errorEcho answer', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({
      errorRate: 1,
      errorEcho: 'answer',
      errorMethods: ['POST', 'PUT', 'DELETE']
    })
    expect((await api(emu, 'GET', `/api/portal/requests/${target.id}`)).status).toBe(200)
    const result = await approve(target.id)
    expect(result.status).toBe(500)
    const [issued] = emu.control.issuedKeys(target.id)
    const rawKey = String(issued?.response.RawKey)
    expect(rawKey).toMatch(/^eyJ/)
    expect((result.json() as { Message: string }).Message).toBe(
      `Failed to marshal data.: ${JSON.stringify({ RawKey: rawKey, Password: '' })}`
    )
    expect(emu.control.getRequest(target.id)?.approved).toBe(true)
  })

  it('defaults to 500 and sends Retry-After when retryAfterSec is set (rate limiting)', async () => {
    emu.control.setFaults({ errorRate: 1 })
    const plain = await api(emu, 'GET', '/api/portal/requests?p=1')
    expect(plain.status).toBe(500)
    expect(plain.headers['retry-after']).toBeUndefined()
    emu.control.setFaults({ errorStatus: 429, retryAfterSec: 7 })
    const limited = await api(emu, 'GET', '/api/portal/requests?p=1')
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBe('7')
  })

  it('errorMethods confines injected errors to those methods: writes fail while reads answer', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({ errorRate: 1, errorStatus: 503, errorMethods: ['PUT', 'DELETE'] })
    expect((await api(emu, 'GET', '/api/portal/requests?p=1')).status).toBe(200)
    expect((await approve(target.id)).status).toBe(503)
    expect((await api(emu, 'DELETE', `/api/portal/requests/${target.id}`)).status).toBe(503)
    expect(emu.control.getRequest(target.id)?.approved).toBe(false)
  })

  it('errorAfterCommitRate applies the change, then answers errorStatus', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({ errorAfterCommitRate: 1, errorStatus: 502, errorMethods: ['PUT'] })
    expect((await api(emu, 'GET', '/api/portal/requests?p=1')).status).toBe(200)
    const result = await approve(target.id)
    expect(result.status).toBe(502)
    expect(result.json()).toEqual({ Status: 'Error', Message: 'Bad Gateway', Meta: null })
    expect(emu.control.getRequest(target.id)?.approved).toBe(true)
    expect(emu.control.issuedKeys(target.id)).toHaveLength(1)
  })

  it('accepts a Retry-After far beyond a day, as a hostile portal may send', async () => {
    emu.control.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSec: 99_999_999_999_999 })
    const limited = await api(emu, 'GET', '/api/portal/requests?p=1')
    expect(limited.headers['retry-after']).toBe('99999999999999')
  })

  it('hits about errorRate of the requests', async () => {
    emu.control.setFaults({ errorRate: 0.5 })
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        api(emu, 'GET', '/api/portal/catalogue').then((r) => r.status)
      )
    )
    expect(statuses).toContain(500)
    expect(statuses).toContain(200)
  })
})

describe('connection faults', () => {
  it('dropRate destroys the socket before anything is applied', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({ dropRate: 1 })
    expect(await callError(approve(target.id))).toBe('ECONNRESET')
    expect(emu.control.getRequest(target.id)?.approved).toBe(false)
    expect(emu.control.stats().approvals).toEqual({})
  })

  it('dropAfterCommitRate applies the change, then destroys the socket', async () => {
    const target = await pendingOfAuthType(emu, 'authToken')
    emu.control.setFaults({ dropAfterCommitRate: 1 })
    expect(await callError(approve(target.id))).toBe('ECONNRESET')
    expect(emu.control.getRequest(target.id)?.approved).toBe(true)
    expect(emu.control.stats().approvals).toEqual({ [target.id]: 1 })
    expect(emu.control.issuedKeys(target.id)).toHaveLength(1)
  })

  it('offline refuses connections, the control listener stays up, and it comes back on the same port', async () => {
    emu.control.setFaults({ offline: true })
    expect(await callError(api(emu, 'GET', '/api/portal/requests'))).toBe('ECONNREFUSED')
    const stats = await controlCall(emu, 'GET', 'stats')
    expect(stats.status).toBe(200)
    const back = await controlCall(emu, 'POST', 'faults', { body: { offline: false } })
    expect(back.json()).toMatchObject({ offline: false })
    const result = await api(emu, 'GET', '/api/portal/requests?p=1')
    expect(result.status).toBe(200)
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`)
  })

  it('offline set through the main port answers first, then refuses connections', async () => {
    const result = await call(emu.url, 'POST', '/__emulator/faults', { body: { offline: true } })
    expect(result.status).toBe(200)
    expect(result.json()).toMatchObject({ offline: true })
    expect(await callError(api(emu, 'GET', '/api/portal/catalogue'))).toBe('ECONNREFUSED')
    await controlCall(emu, 'POST', 'faults', { body: { offline: false } })
    expect((await api(emu, 'GET', '/api/portal/catalogue')).status).toBe(200)
  })

  it('authFail answers 401 Not authorised even to the right secret', async () => {
    emu.control.setFaults({ authFail: true })
    const result = await api(emu, 'GET', '/api/portal/requests', { auth: testSecret })
    expect(result.status).toBe(401)
    expect(result.text).toBe('{"Status":"Error","Message":"Not authorised","Meta":null}')
  })

  it('latency holds a request until it has passed (here: until the emulator closes)', async () => {
    const slow = await startTestEmulator({ seedPending: 1, seedApproved: 0 })
    slow.control.setFaults({ latencyMs: 60_000 })
    let settled = false
    const pending = callError(api(slow, 'GET', '/api/portal/catalogue')).finally(() => {
      settled = true
    })
    while (slow.control.stats().requests === 0) await new Promise((r) => setImmediate(r))
    await controlCall(slow, 'GET', 'stats')
    expect(settled).toBe(false)
    await slow.close()
    expect(await pending).toBe('ECONNRESET')
  })
})

describe('fault scope', () => {
  it('never applies to /__emulator on the main port', async () => {
    emu.control.setFaults({ errorRate: 1, authFail: true, dropRate: 1 })
    const stats = await call(emu.url, 'GET', '/__emulator/stats')
    expect(stats.status).toBe(200)
  })

  it('counts faulted /api requests in stats.requests', async () => {
    emu.control.setFaults({ errorRate: 1 })
    await api(emu, 'GET', '/api/portal/catalogue')
    await api(emu, 'GET', '/api/portal/catalogue')
    expect(emu.control.stats().requests).toBe(2)
  })
})

describe('FaultInjector', () => {
  it('adds latency plus jitter in [latency, latency + jitter)', () => {
    const injector = new FaultInjector(7, () => {})
    injector.set({ latencyMs: 100, jitterMs: 1000 })
    const delays = Array.from({ length: 50 }, () => injector.plan().delayMs)
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100)
    expect(Math.max(...delays)).toBeLessThan(1100)
    expect(new Set(delays).size).toBeGreaterThan(1)
  })

  it('rejects invalid values with the field named', () => {
    const injector = new FaultInjector(7, () => {})
    expect(() => injector.set({ errorRate: 2 })).toThrow(/errorRate/)
    expect(() => injector.set({ bogus: 1 } as never)).toThrow(/bogus/)
  })
})
