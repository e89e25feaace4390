import http from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api, list, startTestEmulator } from './test-support'
import type { RunningEmulator } from './types'

interface Delivery {
  headers: http.IncomingHttpHeaders
  body: { event: string; data: Record<string, unknown> }
}

/** A local webhook receiver; `failFirst` answers 500 to that many deliveries first. */
async function startReceiver(failFirst = 0) {
  const deliveries: Delivery[] = []
  const waiters: (() => void)[] = []
  let failuresLeft = failFirst
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) })
      res.statusCode = failuresLeft-- > 0 ? 500 : 200
      res.end()
      for (const wake of waiters.splice(0)) wake()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/hooks/keygate`,
    deliveries,
    async waitFor(count: number): Promise<Delivery[]> {
      while (deliveries.length < count) await new Promise<void>((r) => waiters.push(r))
      return deliveries
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

let receiver: Awaited<ReturnType<typeof startReceiver>>
let emu: RunningEmulator

beforeEach(async () => {
  receiver = await startReceiver()
  emu = await startTestEmulator({ webhookUrl: receiver.url })
})
afterEach(async () => {
  await emu.close()
  await receiver.close()
})

async function createRequest(target: RunningEmulator): Promise<string> {
  const first = (await list(target, '/api/portal/requests?p=1&approved=false')).Data?.[0]
  const result = await api(target, 'POST', '/api/portal/requests', {
    body: {
      by_user: first?.by_user,
      apply_policies: first?.apply_policies ?? [first?.for_plan],
      approved: false
    }
  })
  return result.json<{ Message: string }>().Message
}

describe('webhooks', () => {
  it('POSTs key_request_event.submitted with the request and its developer on create', async () => {
    const id = await createRequest(emu)
    const [delivery] = await receiver.waitFor(1)
    expect(delivery?.headers['content-type']).toBe('application/json')
    expect(delivery?.body.event).toBe('key_request_event.submitted')
    expect(delivery?.body.data).toMatchObject({ id, approved: false })
    expect(delivery?.body.data.portal_developer).toMatchObject({
      email: expect.stringContaining('@')
    })
    expect(delivery?.body.data.catalogue_entry).toMatchObject({ policy_id: expect.any(String) })
  })

  it('POSTs the approveEventName event (key_request_event.approved by default) on approve', async () => {
    const id = emu.control.requestIds({ approved: false })[0] as string
    await api(emu, 'PUT', `/api/portal/requests/approve/${id}`)
    const [delivery] = await receiver.waitFor(1)
    expect(delivery?.body.event).toBe('key_request_event.approved')
    expect(delivery?.body.data).toMatchObject({ id, approved: true })
  })

  it('sends no approve event when approveEventName is empty', async () => {
    emu.control.setSwitches({ approveEventName: '' })
    const id = emu.control.requestIds({ approved: false })[0] as string
    await api(emu, 'PUT', `/api/portal/requests/approve/${id}`)
    const created = await createRequest(emu)
    const deliveries = await receiver.waitFor(1)
    expect(deliveries.map((d) => d.body.event)).toEqual(['key_request_event.submitted'])
    expect(deliveries[0]?.body.data.id).toBe(created)
  })

  it('announces generated requests as submitted', async () => {
    const ids = emu.control.generatePending(2)
    const deliveries = await receiver.waitFor(2)
    expect(deliveries.map((d) => d.body.data.id).sort()).toEqual([...ids].sort())
  })

  it('retries a failed delivery webhookRetries times', async () => {
    const flaky = await startReceiver(1)
    const target = await startTestEmulator({
      webhookUrl: flaky.url,
      switches: { webhookRetries: 1 }
    })
    try {
      const id = await createRequest(target)
      const deliveries = await flaky.waitFor(2)
      expect(deliveries.map((d) => d.body.data.id)).toEqual([id, id])
    } finally {
      await target.close()
      await flaky.close()
    }
  })
})
