import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeTransport } from './node-transport'
import { failureOf, get } from './transport-test-support'
import { testTls } from './test-tls'

type Closable = { close(): void; closeAllConnections?: () => void }
const servers: Closable[] = []

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections?.()
    server.close()
  }
})

async function listen<T extends net.Server>(server: T): Promise<{ server: T; port: number }> {
  servers.push(server as unknown as Closable)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

describe('node transport over plain http', () => {
  it('sends method, headers and body and returns status, lower-case headers and body', async () => {
    const seen: { method?: string; auth?: string; type?: string; body?: string } = {}
    const { port } = await listen(
      http.createServer((req, res) => {
        let body = ''
        req.on('data', (chunk: Buffer) => (body += chunk.toString()))
        req.on('end', () => {
          Object.assign(seen, {
            method: req.method,
            auth: req.headers.authorization,
            type: req.headers['content-type'],
            body
          })
          res.writeHead(201, { 'X-Portal': 'yes', 'Content-Type': 'application/json' })
          res.end('{"Status":"OK","Message":"né"}')
        })
      })
    )
    const transport = createNodeTransport()
    const response = await transport({
      method: 'POST',
      url: `http://127.0.0.1:${port}/api/portal/requests`,
      headers: { authorization: 'raw-secret', 'content-type': 'application/json' },
      body: '{"by_user":"dev"}',
      timeoutMs: 5_000
    })
    expect(response.status).toBe(201)
    expect(response.headers['x-portal']).toBe('yes')
    expect(JSON.parse(response.body)).toEqual({ Status: 'OK', Message: 'né' })
    expect(seen).toEqual({
      method: 'POST',
      auth: 'raw-secret',
      type: 'application/json',
      body: '{"by_user":"dev"}'
    })
  })

  it('reuses one keep-alive connection for successive calls', async () => {
    let connections = 0
    const { server, port } = await listen(http.createServer((_req, res) => res.end('ok')))
    server.on('connection', () => connections++)
    const transport = createNodeTransport()
    for (let i = 0; i < 5; i++) {
      expect((await transport(get(`http://127.0.0.1:${port}/`))).body).toBe('ok')
    }
    expect(connections).toBe(1)
  })

  it('reports a refused connection as not sent', async () => {
    const { server, port } = await listen(http.createServer())
    servers.pop()
    await new Promise((resolve) => server.close(resolve))
    const failure = await failureOf(createNodeTransport()(get(`http://127.0.0.1:${port}/`)))
    expect(failure.kind).toBe('refused')
    expect(failure.sent).toBe(false)
    expect(failure.message).toBe(`connection refused by 127.0.0.1:${port}`)
  })

  it('reports an unresolvable host as a DNS failure, not sent', async () => {
    const failure = await failureOf(createNodeTransport()(get('http://keygate-test.invalid/')))
    expect(failure.kind).toBe('dns')
    expect(failure.sent).toBe(false)
  })

  it('times out a request the server never answers, as sent', async () => {
    const { port } = await listen(http.createServer(() => undefined))
    const failure = await failureOf(
      createNodeTransport()(get(`http://127.0.0.1:${port}/`, { timeoutMs: 300 }))
    )
    expect(failure.kind).toBe('timeout')
    expect(failure.sent).toBe(true)
    expect(failure.message).toBe('timed out after 0.3 s')
  })

  it('times out a body that never completes (the timeout covers the whole response)', async () => {
    const { port } = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-length': '100' })
        res.write('partial')
      })
    )
    const failure = await failureOf(
      createNodeTransport()(get(`http://127.0.0.1:${port}/`, { timeoutMs: 300 }))
    )
    expect(failure.kind).toBe('timeout')
    expect(failure.sent).toBe(true)
  })

  it('reports a connection reset after the request was written as sent', async () => {
    const { port } = await listen(http.createServer((req) => req.socket.destroy()))
    const failure = await failureOf(
      createNodeTransport()({ ...get(`http://127.0.0.1:${port}/`), method: 'PUT' })
    )
    expect(failure.kind).toBe('reset')
    expect(failure.sent).toBe(true)
  })

  it('reports a response cut mid-body as a reset', async () => {
    const { port } = await listen(
      http.createServer((req, res) => {
        res.writeHead(200, { 'content-length': '100' })
        res.write('partial', () => req.socket.destroy())
      })
    )
    const failure = await failureOf(createNodeTransport()(get(`http://127.0.0.1:${port}/`)))
    expect(failure.kind).toBe('reset')
    expect(failure.sent).toBe(true)
  })

  describe('a keep-alive socket the server drops between calls', () => {
    /** Answers the first request on each connection, resets the connection on the second. */
    async function flakyKeepAliveServer() {
      let connections = 0
      const { port } = await listen(
        net.createServer((socket) => {
          connections++
          let served = 0
          socket.on('data', (chunk) => {
            if (!chunk.toString().includes('\r\n\r\n')) return
            if (served++ === 0) {
              socket.write(
                'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok'
              )
            } else {
              socket.resetAndDestroy()
            }
          })
        })
      )
      return { port, connections: () => connections }
    }

    it('retries a GET once on a fresh connection', async () => {
      const server = await flakyKeepAliveServer()
      const transport = createNodeTransport()
      await transport(get(`http://127.0.0.1:${server.port}/`))
      const second = await transport(get(`http://127.0.0.1:${server.port}/`))
      expect(second.body).toBe('ok')
      expect(server.connections()).toBe(2)
    })

    it('never retries a write: the reset is reported as sent', async () => {
      const server = await flakyKeepAliveServer()
      const transport = createNodeTransport()
      await transport(get(`http://127.0.0.1:${server.port}/`))
      const failure = await failureOf(
        transport({ ...get(`http://127.0.0.1:${server.port}/`), method: 'PUT' })
      )
      expect(failure.kind).toBe('reset')
      expect(failure.sent).toBe(true)
      expect(server.connections()).toBe(1)
    })
  })
})

describe('node transport over https with a self-signed certificate', () => {
  const material = testTls.selfSigned

  const tlsServer = () =>
    listen(
      https.createServer({ key: material.key, cert: material.cert }, (_req, res) =>
        res.end('secure')
      )
    )

  it('rejects it by default, naming the reason, before sending anything', async () => {
    const { port } = await tlsServer()
    const failure = await failureOf(createNodeTransport()(get(`https://127.0.0.1:${port}/`)))
    expect(failure.kind).toBe('tls')
    expect(failure.sent).toBe(false)
    expect(failure.message).toBe('the certificate is self-signed and not trusted')
  })

  it('trusts it when the profile supplies it as its CA', async () => {
    const { port } = await tlsServer()
    const response = await createNodeTransport()(
      get(`https://127.0.0.1:${port}/`, { tls: { ca: material.cert } })
    )
    expect(response.body).toBe('secure')
  })

  it('times out a request after a completed handshake as sent', async () => {
    const { port } = await listen(
      https.createServer({ key: material.key, cert: material.cert }, () => undefined)
    )
    // Warmed up first: the trust roots are parsed once per TLS setting, not within this budget.
    const transport = createNodeTransport()
    const { port: warm } = await tlsServer()
    await transport(get(`https://127.0.0.1:${warm}/`, { tls: { ca: material.cert } }))
    const failure = await failureOf(
      transport(get(`https://127.0.0.1:${port}/`, { timeoutMs: 300, tls: { ca: material.cert } }))
    )
    expect(failure.kind).toBe('timeout')
    expect(failure.sent).toBe(true)
  })

  it('reports a custom CA that is not a PEM certificate as a TLS problem', async () => {
    const { port } = await tlsServer()
    const failure = await failureOf(
      createNodeTransport()(get(`https://127.0.0.1:${port}/`, { tls: { ca: 'not a certificate' } }))
    )
    expect(failure.kind).toBe('tls')
    expect(failure.sent).toBe(false)
  })
})

describe('node transport TLS edge cases', () => {
  it('reports an https URL pointed at a plain http server as a TLS problem', async () => {
    const { port } = await listen(http.createServer((_req, res) => res.end('plain')))
    const failure = await failureOf(createNodeTransport()(get(`https://127.0.0.1:${port}/`)))
    expect(failure.kind).toBe('tls')
    expect(failure.sent).toBe(false)
    expect(failure.message).toContain('did not answer with TLS')
  })

  it('times out a TLS handshake that never completes as not sent', async () => {
    const { port } = await listen(net.createServer(() => undefined))
    const failure = await failureOf(
      createNodeTransport()(get(`https://127.0.0.1:${port}/`, { timeoutMs: 300 }))
    )
    expect(failure.kind).toBe('timeout')
    expect(failure.sent).toBe(false)
  })
})
