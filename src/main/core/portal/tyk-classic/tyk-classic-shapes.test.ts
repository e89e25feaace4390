/**
 * Client behaviour against shapes the emulator does not produce: a scripted Dashboard on
 * 127.0.0.1 answers exactly what each test needs.
 */
import net from 'node:net'
import zlib from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeTransport } from '../../http/node-transport'
import { PortalCallFailure } from '../portal-client'
import {
  keyRequestDocs,
  startScriptedDashboard,
  type ScriptedAnswer,
  type ScriptedDashboard,
  type SeenRequest
} from '../test-dashboard'
import { createTykClassicClient } from './tyk-classic-client'

const secret = 'kg-scripted-secret-51c0'
const transport = createNodeTransport()
const running: ScriptedDashboard[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((dashboard) => dashboard.close()))
})

async function dashboard(answer: (request: SeenRequest) => ScriptedAnswer) {
  const started = await startScriptedDashboard(answer)
  running.push(started)
  return started
}

const clientOf = (url: string, timeoutMs?: number) =>
  createTykClassicClient({
    profile: { id: 'scripted', baseUrl: url, customCa: null, pinnedSha256: null },
    secret,
    transport,
    timeoutMs
  })

async function failureOf(promise: Promise<unknown>): Promise<PortalCallFailure> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(PortalCallFailure)
    return error as PortalCallFailure
  }
  throw new Error('expected the portal call to fail')
}

const policies = { Data: [{ _id: 'p'.repeat(24), id: '', name: 'Gold' }], Pages: 1 }

/** Pages of 10 that treat any p < 1 as page 1, as a Dashboard ignoring p=-1 would. */
function ignoresMinusOne(items: Record<string, unknown>[]) {
  return (request: SeenRequest): ScriptedAnswer => {
    if (request.path.startsWith('/api/portal/policies')) return { body: policies }
    const p = Math.max(1, Number(request.query.get('p') ?? '1'))
    return {
      body: { Data: items.slice((p - 1) * 10, p * 10), Pages: Math.ceil(items.length / 10) }
    }
  }
}

const pagesAsked = (dash: ScriptedDashboard) =>
  dash.seen.filter((r) => r.path === '/api/portal/requests').map((r) => r.query.get('p'))

describe('paging against Dashboards that do not honour p=-1', () => {
  it('detects a Dashboard that ignores p=-1, pages through, and remembers it', async () => {
    const docs = keyRequestDocs(25)
    const dash = await dashboard(ignoresMinusOne(docs))
    const client = clientOf(dash.url)
    const first = await client.listRequests('pending')
    expect(first.map((r) => r.id)).toEqual(docs.map((d) => d.id))
    expect(first[0]?.policies).toEqual([{ id: 'p'.repeat(24), name: 'Gold' }])
    expect(pagesAsked(dash).sort()).toEqual(['-1', '1', '2', '3'])

    dash.seen.length = 0
    expect(await client.listRequests('pending')).toHaveLength(25)
    expect(pagesAsked(dash).sort()).toEqual(['1', '2', '3'])
  })

  it('pages through when the Dashboard refuses p=-1 with 400', async () => {
    const docs = keyRequestDocs(12)
    const paged = ignoresMinusOne(docs)
    const dash = await dashboard((request) =>
      request.query.get('p') === '-1'
        ? { status: 400, body: { Status: 'Error', Message: 'Invalid page number.', Meta: null } }
        : paged(request)
    )
    const list = await clientOf(dash.url).listRequests('approved')
    expect(list.map((r) => r.id)).toEqual(docs.map((d) => d.id))
    expect(dash.seen.every((r) => r.query.get('approved') !== 'false')).toBe(true)
  })

  it('keeps each request once when items shift between pages', async () => {
    const docs = keyRequestDocs(20)
    let calls = 0
    const dash = await dashboard((request) => {
      if (request.path.startsWith('/api/portal/policies')) return { body: policies }
      const p = Math.max(1, Number(request.query.get('p') ?? '1'))
      calls++
      // After the first answer a new request arrives on top: page 2 repeats the old item 10.
      const current = calls > 1 ? [...keyRequestDocs(1, 'b'), ...docs] : docs
      return { body: { Data: current.slice((p - 1) * 10, p * 10), Pages: 2 } }
    })
    const ids = (await clientOf(dash.url).listRequests('pending')).map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('tolerated shapes', () => {
  it('reads bare requests without embeds, `_id` developers, Pages 0, Meta "" and unknown keys', async () => {
    const bare = {
      _id: '5b0000000000000000000001',
      by_user: 'd'.repeat(24),
      for_plan: 'p'.repeat(24),
      approved: false,
      date_created: '2018-01-02T03:04:05Z',
      fields: { team: 'payments' },
      org_id: 'o'.repeat(24)
    }
    const dash = await dashboard((request) => {
      if (request.path === '/api/portal/policies') return { body: policies }
      if (request.method === 'GET' && request.path === '/api/portal/requests') {
        return { body: { Data: [bare], Pages: 0, StatusCode: 200 } }
      }
      if (request.path === '/api/portal/developers') {
        return {
          body: {
            Data: [
              {
                _id: 'd'.repeat(24),
                email: 'old@example.com',
                date_created: '2015-01-01T00:00:00Z'
              }
            ],
            Pages: 0
          }
        }
      }
      if (request.method === 'DELETE') {
        return { body: { Status: 'OK', Message: 'Data deleted', Meta: '' } }
      }
      return { body: { Status: 'OK', Message: '5b0000000000000000000002', Meta: '' } }
    })
    const client = clientOf(dash.url)
    const [request] = await client.listRequests('pending')
    expect(request).toMatchObject({
      id: '5b0000000000000000000001',
      developer: { id: 'd'.repeat(24), email: null },
      policies: [{ id: 'p'.repeat(24), name: 'Gold' }],
      details: { kind: 'tyk-classic', legacy: true },
      catalogue: null,
      catalogues: [],
      fields: { team: 'payments' },
      createdAt: '2018-01-02T03:04:05.000Z'
    })
    expect(request?.raw).toEqual(bare)
    expect(await client.listDevelopers()).toEqual([
      {
        id: 'd'.repeat(24),
        email: 'old@example.com',
        createdAt: '2015-01-01T00:00:00.000Z',
        inactive: false,
        fields: {}
      }
    ])
    await client.decline('5b0000000000000000000001')
    expect(
      await client.createRequest({
        developerId: 'd'.repeat(24),
        policyIds: ['p'.repeat(24)],
        fields: {}
      })
    ).toBe('5b0000000000000000000002')
  })

  it('sends the raw secret in `authorization`, no scheme, and honours a URL path prefix', async () => {
    const dash = await dashboard(() => ({ body: { Data: null, Pages: 0 } }))
    expect(await clientOf(`${dash.url}/dashboard/`).listRequests('pending')).toEqual([])
    expect(dash.seen[0]?.path).toBe('/dashboard/api/portal/requests')
    expect(dash.seen[0]?.authorization).toBe(secret)
  })
})

describe('catalogue and developer access', () => {
  it('reads the catalogue as one object, and which policies developers hold from keys and the deprecated subscriptions, without key ids', async () => {
    const keyId = '2ac7b253c36e210d'
    const dash = await dashboard((request) => {
      if (request.path === '/api/portal/catalogue') {
        return {
          body: {
            id: 'c'.repeat(24),
            org_id: 'o',
            email: 'team@example.com',
            apis: [
              { name: 'Payments API', auth_type: 'authToken', policy_id: 'pol-a' },
              { name: '', policy_id: '' }
            ]
          }
        }
      }
      return {
        body: {
          Data: [
            { id: 'dev-1', email: 'a@example.com', subscriptions: { 'pol-a': keyId }, keys: null },
            { _id: 'dev-2', keys: { [keyId]: ['pol-b', 'pol-c'], other: null }, subscriptions: {} },
            { id: 'dev-3', subscriptions: { 'pol-d': '' } }
          ],
          Pages: 1
        }
      }
    })
    const client = clientOf(dash.url)
    expect(await client.listCatalogue!()).toEqual([
      { name: 'Payments API', authType: 'authToken', policyId: 'pol-a' }
    ])
    const access = await client.listDeveloperAccess!()
    expect(access).toEqual([
      { developerId: 'dev-1', policyIds: ['pol-a'] },
      { developerId: 'dev-2', policyIds: ['pol-b', 'pol-c'] },
      { developerId: 'dev-3', policyIds: [] }
    ])
    expect(JSON.stringify(access)).not.toContain(keyId)
  })
})

describe('answers the client cannot use', () => {
  it('INVALID_RESPONSE naming the endpoint for HTML or a wrong shape', async () => {
    const answers: ScriptedAnswer[] = [
      { body: '<html>Tyk Dashboard login</html>', headers: { 'content-type': 'text/html' } },
      { body: { Data: { not: 'a list' }, Pages: 1 } }
    ]
    const dash = await dashboard(() => answers.shift() ?? {})
    const client = clientOf(dash.url)
    const html = await failureOf(client.listRequests('pending'))
    expect(html.error.code).toBe('INVALID_RESPONSE')
    expect(html.message).toBe(
      'The Dashboard sent an unexpected answer to GET /api/portal/requests (not JSON)'
    )
    expect((await failureOf(client.listRequests('pending'))).message).toContain('(Data ')
  })

  it.each([{}, { Status: 'Error' }, { data: keyRequestDocs(1) }, { Status: 'OK', Message: '' }])(
    'a 200 that is not a list (%j) is INVALID_RESPONSE, not an empty inbox',
    async (body) => {
      const dash = await dashboard(() => ({ body }))
      const failure = await failureOf(clientOf(dash.url).listRequests('pending'))
      expect(failure.error.code).toBe('INVALID_RESPONSE')
      expect(failure.message).toContain('Data')
    }
  )
})

describe('quarantine: one bad request never hides the others', () => {
  it('lists the readable requests and each unreadable one with its id and what was wrong', async () => {
    const [good1, bad, good2] = keyRequestDocs(3)
    const noId = { by_user: 'x', approved: false }
    const dash = await dashboard(() => ({
      body: { Data: [good1, { ...bad, approved: 'false' }, noId, good2, good1], Pages: 1 }
    }))
    const listed = await clientOf(dash.url).listRequests('pending')
    expect(listed.map((r) => [r.id, r.unreadable ?? null])).toEqual([
      [good1!.id, null],
      [bad!.id, expect.stringContaining('approved')],
      ['unreadable-3', expect.stringContaining('neither `id` nor `_id`')],
      [good2!.id, null]
    ])
    const quarantined = listed[1]!
    expect(quarantined).toMatchObject({ approved: false, profileId: 'scripted', fields: {} })
    expect(quarantined.raw).toMatchObject({ approved: 'false' })
  })

  it('quarantines on page 1 of a change probe just as in a full read', async () => {
    const [good, bad] = keyRequestDocs(2)
    const dash = await dashboard(() => ({
      body: { Data: [good, { ...bad, fields: 'not a map' }], Pages: 1 }
    }))
    const page = await clientOf(dash.url).firstPage!('pending')
    expect(page.items.map((r) => [r.id, Boolean(r.unreadable)])).toEqual([
      [good!.id, false],
      [bad!.id, true]
    ])
  })

  it('403 `Request body malformed.` is BAD_REQUEST, not a permission problem', async () => {
    const dash = await dashboard(() => ({
      status: 403,
      body: { Status: 'Error', Message: 'Request body malformed.', Meta: null }
    }))
    const failure = await failureOf(
      clientOf(dash.url).createRequest({ developerId: 'd', policyIds: ['p'], fields: {} })
    )
    expect(failure.error.code).toBe('BAD_REQUEST')
    expect(failure.details.outcomeUnknown).toBe(false)
  })

  it('an approve answered without a body by a 500 is SERVER_ERROR', async () => {
    const dash = await dashboard(() => ({ status: 500, body: '' }))
    const failure = await failureOf(clientOf(dash.url).approve('not-an-id'))
    expect(failure.error.code).toBe('SERVER_ERROR')
    expect(failure.message).toBe(
      'The Dashboard failed on PUT /api/portal/requests/approve/not-an-id (HTTP 500)'
    )
  })

  it('a redirect is BAD_REQUEST pointing at the Dashboard URL', async () => {
    const dash = await dashboard(() => ({
      status: 301,
      headers: { location: 'https://dashboard.example.com/api/portal/requests' }
    }))
    const failure = await failureOf(clientOf(dash.url).listRequests('pending'))
    expect(failure.error.code).toBe('BAD_REQUEST')
    expect(failure.message).toContain("check the profile's Dashboard URL")
  })

  it('a 429 with an HTTP-date Retry-After gives a wait in ms', async () => {
    const dash = await dashboard(() => ({
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }
    }))
    const failure = await failureOf(clientOf(dash.url).listDevelopers())
    expect(failure.error.code).toBe('RATE_LIMITED')
    expect(failure.details.retryAfterMs).toBeGreaterThan(50_000)
  })

  it('a write that times out before the connection was usable has a known outcome', async () => {
    const silent = net.createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as AddressInfo
      const failure = await failureOf(
        clientOf(`https://127.0.0.1:${port}`, 200).approve('5b0000000000000000000001')
      )
      expect(failure.error.code).toBe('TIMEOUT')
      expect(failure.details.outcomeUnknown).toBe(false)
    } finally {
      silent.close()
    }
  })
})

async function clientFor(answer: (request: SeenRequest) => ScriptedAnswer) {
  const dash = await dashboard(answer)
  return { dash, client: clientOf(dash.url) }
}

const [doc] = keyRequestDocs(1)

/**
 * Hostile sizes: absurd page counts, bodies, nesting or Retry-After values get a clear error
 * naming the limit, never a hang, an out-of-memory crash or a storm.
 */
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
      expect(failure.message).toMatch(/at most 5,000 pages/)
      expect(dash.seen.length).toBeLessThanOrEqual(2)
    }
  )

  it('a backlog of over 10,000 requests (1,002 pages of 10) is read whole', async () => {
    const docs = keyRequestDocs(10_015)
    const { client } = await clientFor((request) => {
      const p = Number(request.query.get('p'))
      if (p === -1)
        return { status: 400, body: { Status: 'Error', Message: 'bad page', Meta: null } }
      return { body: { Data: docs.slice((p - 1) * 10, p * 10), Pages: 1_002 } }
    })
    expect(await client.listRequests('pending')).toHaveLength(10_015)
  }, 60_000)

  it('a p=-1 answer claiming a million pages whose page 2 is new is refused before reading them', async () => {
    const docs = keyRequestDocs(2)
    const { dash, client } = await clientFor((request) => {
      const p = request.query.get('p')
      return { body: { Data: [p === '2' ? docs[1] : docs[0]], Pages: 1e6 } }
    })
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.message).toMatch(/at most 5,000 pages/)
    expect(dash.seen.length).toBeLessThanOrEqual(3)
  })
})

describe('answer sizes', () => {
  it('an answer beyond the size limit is an error naming the limit', async () => {
    const huge = 'x'.repeat(17 * 1024 * 1024)
    const { client } = await clientFor(() => ({
      body: { Data: [{ ...doc, key: huge }], Pages: 1 }
    }))
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toMatch(/larger than 16 MB/)
  })

  it('a p=-1 answer beyond the size limit (a backlog of thousands) is read page by page instead', async () => {
    const docs = keyRequestDocs(3)
    const huge = 'x'.repeat(17 * 1024 * 1024)
    const { dash, client } = await clientFor((request) => {
      const p = request.query.get('p')
      if (p === '-1') return { body: { Data: [{ ...docs[0], key: huge }], Pages: 1 } }
      return { body: { Data: p === '1' ? [docs[0], docs[1]] : [docs[2]], Pages: 2 } }
    })
    expect((await client.listRequests('pending')).map((r) => r.id)).toEqual(docs.map((d) => d!.id))
    // Remembered: the next list goes straight to pages.
    const asked = dash.seen.length
    await client.listRequests('pending')
    expect(dash.seen.slice(asked).map((r) => r.query.get('p'))).toEqual(['1', '2'])
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
      const { client } = await clientFor(() => ({
        status: 429,
        headers: { 'retry-after': header }
      }))
      const failure = await failureOf(client.listRequests('pending'))
      expect(failure.error.code).toBe('RATE_LIMITED')
      expect(failure.details.retryAfterMs).toBe(24 * 60 * 60_000)
      expect(failure.message).toContain('retry in 86400 s')
    }
  )
})

describe('smaller shape problems', () => {
  it('a detail GET answering with another request is INVALID_RESPONSE, never shown as the one asked for', async () => {
    const [asked, other] = keyRequestDocs(2)
    const { client } = await clientFor(() => ({ body: other }))
    const failure = await failureOf(client.getRequest(asked!.id as string))
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toContain(other!.id as string)
  })

  it('keeps custom fields that are null or named __proto__, as text', async () => {
    const [doc] = keyRequestDocs(1)
    const body = JSON.stringify({ ...doc, fields: { plan: null, note: 'x' } }).replace(
      '"note":"x"',
      '"note":"x","__proto__":"sneaky"'
    )
    const { client } = await clientFor(() => ({ body: `{"Data":[${body}],"Pages":1}` }))
    const [request] = await client.listRequests('pending')
    expect(Object.entries(request!.fields)).toEqual([
      ['plan', ''],
      ['note', 'x'],
      ['__proto__', 'sneaky']
    ])
  })

  it('shows a request listed twice on one page once', async () => {
    const [first, second] = keyRequestDocs(2)
    const { client } = await clientFor(() => ({ body: { Data: [first, second, first], Pages: 1 } }))
    const listed = await client.listRequests('pending')
    expect(listed.map((request) => request.id)).toEqual([first!.id, second!.id])
  })

  it('a create answered with a Message that is not an id is an error, never a made-up id', async () => {
    const { client } = await clientFor(() => ({
      body: { Status: 'OK', Message: 'Request created', Meta: null }
    }))
    const failure = await failureOf(
      client.createRequest({ developerId: 'd'.repeat(24), policyIds: ['p'.repeat(24)], fields: {} })
    )
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toContain('Request created')
  })

  it('names every other policy when one policy has no id', async () => {
    const [doc] = keyRequestDocs(1)
    const { client } = await clientFor((request) =>
      request.path.startsWith('/api/portal/policies')
        ? { body: { Data: [{ name: 'No id' }, ...policies.Data], Pages: 1 } }
        : { body: { Data: [doc], Pages: 1 } }
    )
    const [request] = await client.listRequests('pending')
    expect(request!.policies).toEqual([{ id: 'p'.repeat(24), name: 'Gold' }])
    expect((await client.listPolicies()).map((policy) => policy.id)).toEqual(['p'.repeat(24)])
  })
})

describe('compressed answers', () => {
  const listBody = () => Buffer.from(JSON.stringify({ Data: keyRequestDocs(3), Pages: 1 }))

  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync]
  ] as const)('reads a list sent with Content-Encoding: %s', async (encoding, compress) => {
    const { client } = await clientFor((request) =>
      request.path.startsWith('/api/portal/policies')
        ? { body: policies }
        : { headers: { 'content-encoding': encoding }, body: compress(listBody()) }
    )
    expect(await client.listRequests('pending')).toHaveLength(3)
  })

  it('a small gzip that inflates beyond the size limit is refused, naming the limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
    const { client } = await clientFor(() => ({
      headers: { 'content-encoding': 'gzip' },
      body: bomb
    }))
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toMatch(/larger than 16 MB/)
  })

  it('a body that is not the gzip it claims to be is INVALID_RESPONSE, not a crash', async () => {
    const { client } = await clientFor(() => ({
      headers: { 'content-encoding': 'gzip' },
      body: Buffer.from('{"Data":[],"Pages":1}')
    }))
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.error.code).toBe('INVALID_RESPONSE')
    expect(failure.message).toMatch(/gzip/)
  })
})
