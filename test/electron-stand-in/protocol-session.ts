import type {
  CustomScheme,
  HeadersReceivedResponse,
  Net,
  OnHeadersReceivedListenerDetails,
  Protocol,
  Session,
  WebRequest
} from 'electron'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { recorder, requireNotReady, requireReady } from './recorder'

type ProtocolHandler = (request: Request) => Response | Promise<Response>

/** Chromium's types for the files a built renderer holds (net/base/mime_util.cc). */
const chromiumMimeTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/vnd.microsoft.icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain',
  '.map': 'application/json',
  '.wasm': 'application/wasm'
}

class StandInProtocol {
  readonly standInLabel = 'protocol'
  private privileged: CustomScheme[] | null = null
  private readonly handlers = new Map<string, ProtocolHandler>()

  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
    recorder.record('protocol.registerSchemesAsPrivileged', [customSchemes])
    requireNotReady('protocol.registerSchemesAsPrivileged')
    // Electron keeps only the last call's list: a second call would drop the first's schemes.
    if (this.privileged)
      throw new Error('protocol.registerSchemesAsPrivileged can be called only once')
    this.privileged = customSchemes
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    recorder.record('protocol.handle', [scheme])
    requireReady('protocol.handle')
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`)
    this.handlers.set(scheme, handler)
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme)
  }

  /** A page's request to a handled scheme (`app://keygate/...`). */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1)
    const handler = this.handlers.get(scheme)
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME loading '${url}'`)
    return handler(new Request(url, init))
  }
}

export const protocol = new StandInProtocol() satisfies Pick<
  Protocol,
  'registerSchemesAsPrivileged' | 'handle' | 'isProtocolHandled'
>

/** Electron's net.fetch for the `file:` URLs the app protocol reads (Chromium's file loader). */
async function fetchFile(url: string): Promise<Response> {
  const file = fileURLToPath(url)
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw new Error(`net::ERR_FILE_NOT_FOUND loading '${url}'`)
  const type = chromiumMimeTypes[path.extname(file).toLowerCase()]
  return new Response(await readFile(file), {
    status: 200,
    headers: type ? { 'Content-Type': type, 'Content-Length': String(info.size) } : {}
  })
}

export const net = {
  fetch(input: string | Request, init?: RequestInit): Promise<Response> {
    const url = typeof input === 'string' ? input : input.url
    recorder.record('net.fetch', [url])
    if (url.startsWith('file:')) return fetchFile(url)
    const scheme = new URL(url).protocol.slice(0, -1)
    if (protocol.isProtocolHandled(scheme)) return protocol.request(url, init)
    return fetch(input, init)
  }
} satisfies Pick<Net, 'fetch'>

type HeadersListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void
) => void
type PermissionRequestHandler = Parameters<Session['setPermissionRequestHandler']>[0]
type PermissionCheckHandler = Parameters<Session['setPermissionCheckHandler']>[0]

class StandInSession {
  readonly standInLabel = 'session'
  permissionRequestHandler: PermissionRequestHandler = null
  permissionCheckHandler: PermissionCheckHandler = null
  headersListener: HeadersListener | null = null

  readonly webRequest = {
    onHeadersReceived: (...args: unknown[]): void => {
      recorder.record('session.webRequest.onHeadersReceived', args)
      this.headersListener = args.at(-1) as HeadersListener | null
    }
  } satisfies Pick<WebRequest, 'onHeadersReceived'>

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    recorder.record('session.setPermissionRequestHandler', [handler])
    this.permissionRequestHandler = handler
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    recorder.record('session.setPermissionCheckHandler', [handler])
    this.permissionCheckHandler = handler
  }

  /** No proxy is configured on the stand-in's machine: Chromium's PAC answer for that. */
  resolveProxy(url: string): Promise<string> {
    recorder.record('session.resolveProxy', [url])
    return Promise.resolve('DIRECT')
  }
}

let defaultSession: StandInSession | null = null

export const session = {
  get defaultSession(): StandInSession {
    recorder.record('session.defaultSession', [])
    requireReady('session.defaultSession')
    defaultSession ??= new StandInSession()
    return defaultSession
  }
} satisfies {
  defaultSession: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'resolveProxy'
  > & {
    webRequest: Pick<WebRequest, 'onHeadersReceived'>
  }
}
