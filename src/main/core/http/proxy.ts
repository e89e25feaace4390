import { HttpTransportError } from '../ports'
import { isLoopbackHost } from './loopback'

/** An http proxy that tunnels with CONNECT. */
export interface ProxyServer {
  host: string
  port: number
  /** `Proxy-Authorization` value, from credentials in the proxy URL; null without. */
  authorization: string | null
}

/** The proxy for one URL, null to connect directly; rejects when the setting is unusable. */
export type ResolveProxy = (url: string) => Promise<ProxyServer | null>

export const direct: ResolveProxy = async () => null

const unsupported = (what: string) =>
  new HttpTransportError('other', false, `${what} is not supported: use an http:// proxy`)

function proxyFromUrl(value: string, source: string): ProxyServer {
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
  } catch {
    throw new HttpTransportError('other', false, `${source} is not a valid proxy URL`)
  }
  if (url.protocol !== 'http:') throw unsupported(`${source} (${url.protocol}//)`)
  const user = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    authorization: user ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : null
  }
}

/** NO_PROXY entries: `*`, host names (a leading dot or not: the domain and its subdomains), IPs, `:port`. */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true
      const match = /^\[?(.+?)\]?(?::(\d+))?$/.exec(entry.toLowerCase())
      const name = (match?.[1] ?? '').replace(/^\*?\./, '')
      if (match?.[2] && match[2] !== port) return false
      return host === name || host.endsWith(`.${name}`)
    })
}

/**
 * Proxies like curl and most CLI tools: HTTPS_PROXY for https, HTTP_PROXY for http (lower-case
 * names first), minus NO_PROXY. Loopback is always reached directly, as Chromium does.
 */
export function proxyFromEnv(env: NodeJS.ProcessEnv): ResolveProxy {
  const pick = (...names: string[]) => {
    for (const name of names) {
      const value = env[name]?.trim()
      if (value) return { name, value }
    }
    return null
  }
  return async (target) => {
    const url = new URL(target)
    if (isLoopbackHost(url.hostname)) return null
    const setting =
      url.protocol === 'https:'
        ? pick('https_proxy', 'HTTPS_PROXY')
        : pick('http_proxy', 'HTTP_PROXY')
    if (!setting) return null
    if (bypassed(url, pick('no_proxy', 'NO_PROXY')?.value ?? '')) return null
    return proxyFromUrl(setting.value, setting.name)
  }
}

/**
 * Reads what Electron's `session.resolveProxy` answers ("PROXY host:port; DIRECT", the PAC
 * format): the first entry Keygate can use. SOCKS and HTTPS proxies are skipped for the next one.
 */
export function parsePacResult(result: string): ProxyServer | null {
  const entries = result
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
  for (const entry of entries) {
    const [kind, address] = entry.split(/\s+/, 2)
    if (kind?.toUpperCase() === 'DIRECT') return null
    if (kind?.toUpperCase() === 'PROXY' && address) return proxyFromUrl(address, 'the system proxy')
  }
  if (entries.length === 0) return null
  throw unsupported(`The system proxy setting "${result}"`)
}
