/**
 * Hostile sizes: a Dashboard (or something posing as one) answering with absurd page counts,
 * bodies, nesting or Retry-After values gets a clear error naming the limit, never a hang, an
 * out-of-memory crash or a storm.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeTransport } from '../http/node-transport'
import { PortalCallFailure } from './portal-client'
import {
  keyRequestDocs,
  startScriptedDashboard,
  type ScriptedAnswer,
  type ScriptedDashboard,
  type SeenRequest
} from './test-dashboard'
import { createTykClassicClient } from './tyk-classic-client'

const transport = createNodeTransport()
const running: ScriptedDashboard[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((dashboard) => dashboard.close()))
})

async function clientFor(answer: (request: SeenRequest) => ScriptedAnswer) {
  const dash = await startScriptedDashboard(answer)
  running.push(dash)
  const client = createTykClassicClient({
    profile: { id: 'hostile', dashboardUrl: dash.url, customCa: null, allowSelfSigned: false },
    secret: 'kg-hostile-secret-0b7e',
    transport
  })
  return { dash, client }
}

async function failureOf(promise: Promise<unknown>): Promise<PortalCallFailure> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(PortalCallFailure)
    return error as PortalCallFailure
  }
  throw new Error('expected the portal call to fail')
}

const [doc] = keyRequestDocs(1)

describe('page counts', () => {
  it.each([1e6, 1e8, 1e308, -3, 2.5])(
    'Pages %d on a Dashboard that refuses p=-1 is an error naming the page limit, after one page',
    async (pages) => {
      const { dash, client } = await clientFor((request) =>
        request.query.get('p') === '-1'
          ? { status: 400, body: { Status: 'Error', Message: 'bad page', Meta: null } }
          : { body: { Data: [doc], Pages: pages } }
      )
      const failure = await failureOf(client.listRequests('pending'))
      expect(failure.error.code).toBe('INVALID_RESPONSE')
      expect(failure.message).toMatch(/Pages/)
      expect(failure.message).toMatch(/at most 1,000 pages/)
      expect(dash.seen.length).toBeLessThanOrEqual(2)
    }
  )

  it('a p=-1 answer claiming a million pages whose page 2 is new is refused before reading them', async () => {
    const docs = keyRequestDocs(2)
    const { dash, client } = await clientFor((request) => {
      const p = request.query.get('p')
      return { body: { Data: [p === '2' ? docs[1] : docs[0]], Pages: 1e6 } }
    })
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.message).toMatch(/at most 1,000 pages/)
    expect(dash.seen.length).toBeLessThanOrEqual(3)
  })
})

describe('answer sizes', () => {
  it('an answer beyond the size limit is an error naming the limit', async () => {
    const huge = 'x'.repeat(17 * 1024 * 1024)
    const { client } = await clientFor(() => ({ body: { Data: [{ ...doc, key: huge }], Pages: 1 } }))
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toMatch(/larger than 16 MB/)
  })

  it('a custom field nested 5,000 deep is shown, cut at a safe depth, in the list and the detail', async () => {
    // Built as text: JSON.stringify itself overflows the stack on such a value.
    const deep = `${'{"next":'.repeat(5_000)}"bottom"${'}'.repeat(5_000)}`
    const nested = JSON.stringify({ ...doc, fields: { plan: 'gold', tree: 0 } }).replace(
      '"tree":0',
      `"tree":${deep}`
    )
    const { client } = await clientFor((request) =>
      request.path.endsWith('/requests')
        ? { body: `{"Data":[${nested}],"Pages":1}` }
        : { body: nested }
    )
    const [listed] = await client.listRequests('pending')
    const detail = await client.getRequest(listed!.id)
    for (const request of [listed!, detail]) {
      expect(request.fields.plan).toBe('gold')
      expect(request.fields.tree).toContain('nested too deep')
      expect(() => structuredClone(request)).not.toThrow()
      expect(() => JSON.stringify(request)).not.toThrow()
    }
  })
})

describe('Retry-After', () => {
  it.each(['99999999999999', String(2 ** 31), 'Fri, 31 Dec 9999 23:59:59 GMT'])(
    'Retry-After %s is clamped to a day',
    async (header) => {
      const { client } = await clientFor(() => ({ status: 429, headers: { 'retry-after': header } }))
      const failure = await failureOf(client.listRequests('pending'))
      expect(failure.error.code).toBe('RATE_LIMITED')
      expect(failure.details.retryAfterMs).toBe(24 * 60 * 60_000)
      expect(failure.message).toContain('retry in 86400 s')
    }
  )
})
