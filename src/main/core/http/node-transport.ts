import { createHash } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import zlib from 'node:zlib'
import {
  HttpTransportError,
  MAX_RESPONSE_BYTES,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport
} from '../ports'
import type { TlsOptions } from '../ports'
import { toTransportError } from './transport-failure'
import { defaultTrustedRoots } from './trust-store'
import { proxyFromEnv, type ProxyServer, type ResolveProxy } from './proxy'
import { createTunnelAgent, createVerifyingAgent, normaliseFingerprint } from './verifying-agent'

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`

const agentKey = (options: TlsOptions | undefined, proxy: ProxyServer | null): string => {
  const ca = options?.ca ? createHash('sha256').update(options.ca).digest('hex') : 'system'
  const pin = options?.pinnedSha256 ? normaliseFingerprint(options.pinnedSha256) : 'chain'
  const via = proxy ? `${proxy.host}:${proxy.port}:${proxy.authorization ?? ''}` : 'direct'
  return `${pin}:${ca}:${via}`
}

export interface NodeTransportOptions {
  /** Roots every https connection trusts; default Node's bundled roots plus the OS store. */
  trustedRoots?: () => readonly string[]
  /** The proxy for each URL; default HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment. */
  resolveProxy?: ResolveProxy
}

const flattenHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> => {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  // The body handed on is decoded.
  delete flat['content-encoding']
  return flat
}

/**
 * A decoder for the answer's `Content-Encoding` (a proxy or a Dashboard behind one may compress
 * without being asked); null for none, undefined for one Keygate cannot read.
 */
function decoderFor(
  encoding: string
): zlib.Gunzip | zlib.Unzip | zlib.BrotliDecompress | null | undefined {
  switch (encoding.trim().toLowerCase()) {
    case '':
    case 'identity':
      return null
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip()
    case 'deflate':
      return zlib.createUnzip()
    case 'br':
      return zlib.createBrotliDecompress()
    default:
      return undefined
  }
}

/**
 * The production `HttpTransport` on node:http/https, for plain Node and Electron main alike.
 *
 * - `timeoutMs` bounds the whole exchange: connect, TLS, request and the full response body.
 * - Keep-alive agents are cached per TLS configuration, so successive calls reuse connections
 *   and one profile's trust settings never leak into another's.
 * - TLS trusts Node's roots, the OS store and the profile's PEM, or exactly the profile's pinned
 *   certificate; the host name is always checked, and nothing is written before that.
 * - A proxy (per URL, from `resolveProxy`) is always a CONNECT tunnel: it sees host and port,
 *   never the request, and TLS is verified end to end through it.
 * - Failures reject with `HttpTransportError`; `sent` turns true only once the request bytes were
 *   handed to a connected socket, so refused/DNS/TLS failures are always `sent: false`.
 * - A GET that hits a keep-alive socket the server had just closed is retried once (Node's
 *   documented `reusedSocket` race); writes never are.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): HttpTransport {
  const httpAgent = new http.Agent({ keepAlive: true })
  const agents = new Map<string, http.Agent>()
  let roots: readonly string[] | null = null
  const trustedRoots = () => (roots ??= (options.trustedRoots ?? defaultTrustedRoots)())
  const resolveProxy = options.resolveProxy ?? proxyFromEnv(process.env)

  const agentFor = (url: URL, tls: TlsOptions | undefined, proxy: ProxyServer | null) => {
    if (url.protocol !== 'https:' && !proxy) return httpAgent
    const key = `${url.protocol}${agentKey(tls, proxy)}`
    let agent = agents.get(key)
    if (!agent) {
      agent =
        url.protocol === 'https:'
          ? createVerifyingAgent(
              {
                ca: tls?.ca ? [...trustedRoots(), tls.ca] : trustedRoots(),
                pinnedSha256: tls?.pinnedSha256 ?? null
              },
              proxy
            )
          : createTunnelAgent(proxy as ProxyServer)
      agents.set(key, agent)
    }
    return agent
  }

  /** The URL's proxy, within the request's time budget. */
  const proxyFor = (url: URL, request: HttpRequest): Promise<ProxyServer | null> => {
    let stop = () => {}
    const late = new Promise<never>((_resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new HttpTransportError(
              'timeout',
              false,
              `timed out after ${seconds(request.timeoutMs)} finding the proxy`
            )
          ),
        request.timeoutMs
      )
      stop = () => clearTimeout(timer)
    })
    const resolving = Promise.resolve()
      .then(() => resolveProxy(url.href))
      .catch((error: unknown) => {
        throw toTransportError(error, false, url.host)
      })
    return Promise.race([resolving, late]).finally(stop)
  }

  const exchange = (
    request: HttpRequest,
    url: URL,
    proxy: ProxyServer | null,
    deadline: number,
    retried: boolean
  ) =>
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
          agent: agentFor(url, request.tls, proxy)
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
            exchange(request, url, proxy, deadline, true).then(resolve, reject)
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
        // https sockets arrive only after a verified handshake (see createVerifyingAgent).
        if (req.reusedSocket || 'encrypted' in socket) ready()
        else if (socket.connecting) socket.once('connect', ready)
        else ready()
      })
      req.on('error', fail)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let bytes = 0
        const encoding = res.headers['content-encoding'] ?? ''
        const decoder = decoderFor(encoding)
        if (decoder === undefined) {
          fail(
            new HttpTransportError('undecodable', sent, `unsupported Content-Encoding ${encoding}`)
          )
          return
        }
        // The size limit counts decoded bytes, so a small compressed bomb stops at the limit.
        const body = decoder ? res.pipe(decoder) : res
        const stop = (error: HttpTransportError) => {
          decoder?.destroy()
          fail(error)
        }
        body.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk)
          else stop(new HttpTransportError('too-large', sent, 'answer too large'))
        })
        res.on('error', fail)
        decoder?.on('error', () =>
          stop(new HttpTransportError('undecodable', sent, `the body is not valid ${encoding}`))
        )
        body.on('end', () =>
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
    const deadline = Date.now() + request.timeoutMs
    return proxyFor(url, request).then((proxy) => exchange(request, url, proxy, deadline, false))
  }
}
