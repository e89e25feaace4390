import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeTransport } from './node-transport'
import { parsePacResult, proxyFromEnv, type ProxyServer } from './proxy'
import { failureOf, get } from './transport-test-support'

const fixtures = path.join(import.meta.dirname, '../../../../emulator/fixtures')
const cert = readFileSync(path.join(fixtures, 'test-cert.pem'), 'utf8')
const key = readFileSync(path.join(fixtures, 'test-key.pem'), 'utf8')
const pinnedSha256 = new X509Certificate(cert).fingerprint256
const secret = 'proxy-test-secret-b71c'

const closers: (() => void)[] = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

async function listen<T extends net.Server>(server: T, close: () => void): Promise<number> {
  closers.push(close)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** The Dashboard: https with the fixture certificate; records the authorization it received. */
async function dashboard() {
  const seen: (string | undefined)[] = []
  const server = https.createServer({ key, cert }, (req, res) => {
    seen.push(req.headers.authorization)
    res.end('through')
  })
  const port = await listen(server, () => {
    server.closeAllConnections()
    server.close()
  })
  return { url: `https://127.0.0.1:${port}/api`, seen }
}

/**
 * A CONNECT proxy: records each CONNECT request head and every byte it relays from the client,
 * so a test can search them for the secret. `answer` other than 200 refuses the tunnel.
 */
async function connectProxy(answer = 200) {
  const heads: string[] = []
  const relayed: Buffer[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    sockets.add(client)
    let head = Buffer.alloc(0)
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      client.off('data', onHead)
      const text = head.subarray(0, end).toString('latin1')
      heads.push(text)
      if (answer !== 200) {
        client.end(`HTTP/1.1 ${answer} No\r\ncontent-length: 0\r\n\r\n`)
        return
      }
      const [, target = ''] = /^CONNECT (\S+) HTTP/.exec(text) ?? []
      const [host = '', port = '0'] = target.split(/:(?=\d+$)/)
      const upstream = net.connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        const rest = head.subarray(end + 4)
        if (rest.length > 0) upstream.write(rest)
        client.on('data', (data: Buffer) => relayed.push(data))
        client.pipe(upstream).pipe(client)
      })
      sockets.add(upstream)
      upstream.on('error', () => client.destroy())
    }
    client.on('data', onHead)
    client.on('error', () => undefined)
  })
  const port = await listen(server, () => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  const proxy: ProxyServer = { host: '127.0.0.1', port, authorization: null }
  return { proxy, heads, relayed: () => Buffer.concat(relayed) }
}

describe('the transport through a CONNECT proxy', () => {
  it('tunnels https to the Dashboard; the proxy sees host and port, never the secret', async () => {
    const dash = await dashboard()
    const { proxy, heads, relayed } = await connectProxy()
    const transport = createNodeTransport({ resolveProxy: async () => proxy })
    const response = await transport(
      get(dash.url, { headers: { authorization: secret }, tls: { pinnedSha256 } })
    )
    expect(response.body).toBe('through')
    expect(dash.seen).toEqual([secret])
    const port = new URL(dash.url).port
    expect(heads).toHaveLength(1)
    expect(heads[0]).toMatch(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${port} HTTP/1\\.1`))
    expect(heads[0]).not.toContain(secret)
    expect(relayed().length).toBeGreaterThan(0)
    for (const form of [secret, Buffer.from(secret).toString('base64'), '/api']) {
      expect(relayed().includes(form)).toBe(false)
    }
  })

  it('still verifies the Dashboard’s certificate through the tunnel', async () => {
    const dash = await dashboard()
    const { proxy } = await connectProxy()
    const failure = await failureOf(
      createNodeTransport({ resolveProxy: async () => proxy })(
        get(dash.url, { headers: { authorization: secret } })
      )
    )
    expect(failure).toMatchObject({ kind: 'tls', sent: false })
    expect(dash.seen).toEqual([])
  })

  it('reports a proxy that refuses the tunnel, before anything was sent', async () => {
    const dash = await dashboard()
    const { proxy } = await connectProxy(407)
    const failure = await failureOf(
      createNodeTransport({ resolveProxy: async () => proxy })(
        get(dash.url, { tls: { pinnedSha256 } })
      )
    )
    expect(failure.sent).toBe(false)
    expect(failure.message).toContain(`the proxy 127.0.0.1:${proxy.port} refused a tunnel`)
    expect(failure.message).toContain('HTTP 407')
    expect(dash.seen).toEqual([])
  })

  it('connects directly where the resolver says so', async () => {
    const dash = await dashboard()
    const { heads } = await connectProxy()
    const response = await createNodeTransport({ resolveProxy: async () => null })(
      get(dash.url, { tls: { pinnedSha256 } })
    )
    expect(response.body).toBe('through')
    expect(heads).toEqual([])
  })
})

describe('proxyFromEnv', () => {
  const resolve = (env: NodeJS.ProcessEnv, url: string) => proxyFromEnv(env)(url)

  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, lower-case names first', async () => {
    const env = {
      HTTPS_PROXY: 'http://upper.example:3128',
      https_proxy: 'http://lower.example:8080',
      HTTP_PROXY: 'plain.example:8000'
    }
    expect(await resolve(env, 'https://dash.example.com')).toEqual({
      host: 'lower.example',
      port: 8080,
      authorization: null
    })
    expect(await resolve(env, 'http://dash.example.com')).toEqual({
      host: 'plain.example',
      port: 8000,
      authorization: null
    })
    expect(await resolve({}, 'https://dash.example.com')).toBeNull()
  })

  it('sends proxy credentials from the URL as Basic authorization', async () => {
    const proxy = await resolve(
      { HTTPS_PROXY: 'http://me%40corp:p%3Ass@proxy.example:3128' },
      'https://dash.example.com'
    )
    expect(proxy?.authorization).toBe(`Basic ${Buffer.from('me@corp:p:ss').toString('base64')}`)
  })

  it('honours NO_PROXY: *, domains and subdomains, ports; and never proxies loopback', async () => {
    const env = (NO_PROXY: string) => ({ HTTPS_PROXY: 'http://proxy.example:3128', NO_PROXY })
    expect(await resolve(env('*'), 'https://dash.example.com')).toBeNull()
    expect(await resolve(env('example.com'), 'https://dash.example.com')).toBeNull()
    expect(await resolve(env('.example.com'), 'https://dash.example.com')).toBeNull()
    expect(
      await resolve(env('other.com, dash.example.com:443'), 'https://dash.example.com')
    ).toBeNull()
    expect(await resolve(env('dash.example.com:8443'), 'https://dash.example.com')).not.toBeNull()
    expect(await resolve(env('ample.com'), 'https://dash.example.com')).not.toBeNull()
    expect(await resolve(env(''), 'https://127.0.0.1:3000')).toBeNull()
    expect(await resolve(env(''), 'https://localhost:3000')).toBeNull()
  })

  it('refuses a proxy it cannot use instead of going around it', async () => {
    await expect(
      resolve({ HTTPS_PROXY: 'socks5://proxy.example:1080' }, 'https://dash.example.com')
    ).rejects.toThrow('HTTPS_PROXY (socks5://) is not supported: use an http:// proxy')
  })
})

describe('parsePacResult (what Electron’s session.resolveProxy answers)', () => {
  it('takes the first usable entry', () => {
    expect(parsePacResult('DIRECT')).toBeNull()
    expect(parsePacResult('')).toBeNull()
    expect(parsePacResult('PROXY proxy.corp:8080; DIRECT')).toEqual({
      host: 'proxy.corp',
      port: 8080,
      authorization: null
    })
    expect(parsePacResult('SOCKS5 socks.corp:1080; PROXY proxy.corp:3128')).toMatchObject({
      host: 'proxy.corp',
      port: 3128
    })
    expect(parsePacResult('SOCKS5 socks.corp:1080; DIRECT')).toBeNull()
  })

  it('says so when no entry can be used', () => {
    expect(() => parsePacResult('SOCKS5 socks.corp:1080')).toThrow(
      'The system proxy setting "SOCKS5 socks.corp:1080" is not supported'
    )
  })
})
