import { createHash } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import {
  HttpTransportError,
  MAX_RESPONSE_BYTES,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport
} from '../ports'
import type { TlsOptions } from '../ports'
import { toTransportError } from './transport-failure'

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`

/** Node 22.15+ (Electron 45's Node) can list bundled + NODE_EXTRA_CA_CERTS roots; older Node cannot. */
const systemRoots = (): readonly string[] => {
  const lister = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates
  return lister ? lister('default') : tls.rootCertificates
}

const agentKey = (options: TlsOptions | undefined): string => {
  const ca = options?.ca ? createHash('sha256').update(options.ca).digest('hex') : 'system'
  return `${options?.allowSelfSigned ? 'insecure' : 'verify'}:${ca}`
}

const flattenHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> => {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/**
 * The production `HttpTransport` on node:http/https, for plain Node and Electron main alike.
 *
 * - `timeoutMs` bounds the whole exchange: connect, TLS, request and the full response body.
 * - Keep-alive agents are cached per TLS configuration, so successive calls reuse connections
 *   and one profile's trust settings never leak into another's.
 * - TLS trusts the system roots plus the profile's PEM; `allowSelfSigned` turns verification off
 *   for that profile only.
 * - Failures reject with `HttpTransportError`; `sent` turns true only once the request bytes were
 *   handed to a connected socket, so refused/DNS/TLS failures are always `sent: false`.
 * - A GET that hits a keep-alive socket the server had just closed is retried once (Node's
 *   documented `reusedSocket` race); writes never are.
 */
export function createNodeTransport(): HttpTransport {
  const httpAgent = new http.Agent({ keepAlive: true })
  const httpsAgents = new Map<string, https.Agent>()

  const agentFor = (url: URL, options: TlsOptions | undefined): http.Agent => {
    if (url.protocol !== 'https:') return httpAgent
    const key = agentKey(options)
    let agent = httpsAgents.get(key)
    if (!agent) {
      agent = new https.Agent({
        keepAlive: true,
        ca: options?.ca ? [...systemRoots(), options.ca] : undefined,
        rejectUnauthorized: !options?.allowSelfSigned
      })
      httpsAgents.set(key, agent)
    }
    return agent
  }

  const exchange = (request: HttpRequest, url: URL, deadline: number, retried: boolean) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const host = url.host
      const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8')
      const headers: Record<string, string> = { ...request.headers }
      if (body) headers['content-length'] = String(body.length)
      let sent = false
      let settled = false

      const settle = (outcome: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        outcome()
      }

      let req: http.ClientRequest
      try {
        req = (url.protocol === 'https:' ? https : http).request(url, {
          method: request.method,
          headers,
          agent: agentFor(url, request.tls)
        })
      } catch (error) {
        reject(toTransportError(error, false, host))
        return
      }

      const fail = (error: unknown) =>
        settle(() => {
          const failure = toTransportError(error, sent, host)
          req.destroy()
          const staleSocket = failure.kind === 'reset' && req.reusedSocket && !retried
          if (staleSocket && request.method === 'GET' && Date.now() < deadline) {
            exchange(request, url, deadline, true).then(resolve, reject)
          } else {
            reject(failure)
          }
        })

      const timer = setTimeout(
        () =>
          fail(
            new HttpTransportError('timeout', sent, `timed out after ${seconds(request.timeoutMs)}`)
          ),
        Math.max(0, deadline - Date.now())
      )

      // Sent = the request was flushed ('finish') AND the socket was usable: a TLS socket takes
      // writes before its handshake completes, and those bytes never reach the server if it fails.
      let flushed = false
      let usable = false
      const markSent = () => {
        sent = flushed && usable
      }
      req.on('finish', () => {
        flushed = true
        markSent()
      })
      req.on('socket', (socket) => {
        const ready = () => {
          usable = true
          markSent()
        }
        if (req.reusedSocket) ready()
        else if ('encrypted' in socket) socket.once('secureConnect', ready)
        else if (socket.connecting) socket.once('connect', ready)
        else ready()
      })
      req.on('error', fail)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let bytes = 0
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk)
          else fail(new HttpTransportError('too-large', sent, 'answer too large'))
        })
        res.on('error', fail)
        res.on('end', () =>
          settle(() =>
            resolve({
              status: res.statusCode ?? 0,
              headers: flattenHeaders(res.headers),
              body: Buffer.concat(chunks).toString('utf8')
            })
          )
        )
      })
      req.end(body)
    })

  return (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return Promise.reject(new HttpTransportError('other', false, `invalid URL ${request.url}`))
    }
    return exchange(request, url, Date.now() + request.timeoutMs, false)
  }
}
