import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import { matchApiRoute } from './api-routes'
import { allowed, authenticate, type UserDirectory } from './auth'
import { handleControl, type ControlHttpContext } from './control-routes'
import { fail, messages, type ApiAnswer } from './envelopes'
import type { FaultInjector } from './faults'
import { readBody, sendJson, sendNotFoundText } from './http-io'
import type { PortalService } from './service'
import type { EmulatorControl } from './types'

export interface ServerOptions {
  host: string
  port: number
  controlPort: number
  tls?: { key: string; cert: string }
  service: PortalService
  faults: FaultInjector
  control: EmulatorControl
  users: UserDirectory
  log: (line: string) => void
}

type AnyServer = http.Server | https.Server

const controlPrefix = '/__emulator'

/**
 * Two listeners: the Dashboard API (which `offline` really closes, so clients get ECONNREFUSED)
 * with the control API under /__emulator, and an always-on listener serving only the control API.
 */
export class EmulatorServer {
  private readonly api: AnyServer
  private readonly controlServer: AnyServer
  private port = 0
  private controlPort = 0
  private offline = false
  private closed = false
  private listening: Promise<void> = Promise.resolve()
  private readonly sleepers = new Set<() => void>()
  private readonly controlContext: ControlHttpContext

  constructor(private readonly options: ServerOptions) {
    const create = (handler: http.RequestListener): AnyServer =>
      options.tls ? https.createServer(options.tls, handler) : http.createServer(handler)
    this.api = create((req, res) => void this.handleMain(req, res))
    this.controlServer = create((req, res) => void this.handleControlOnly(req, res))
    this.controlContext = {
      control: options.control,
      secret: options.users.secret,
      whenListening: () => this.listening
    }
  }

  get ports(): { port: number; controlPort: number } {
    return { port: this.port, controlPort: this.controlPort }
  }

  async start(): Promise<void> {
    await listen(this.api, this.options.port, this.options.host)
    this.port = boundPort(this.api)
    try {
      await listen(this.controlServer, this.options.controlPort, this.options.host)
    } catch (error) {
      await closeServer(this.api)
      throw error
    }
    this.controlPort = boundPort(this.controlServer)
  }

  /** Closes or reopens the API listener on the same port. */
  setOffline(offline: boolean): void {
    this.offline = offline
    if (offline) {
      if (this.api.listening) this.api.close()
      this.api.closeAllConnections()
      return
    }
    this.listening = this.listening.then(() => this.relisten())
  }

  private async relisten(): Promise<void> {
    // The freed port could be taken by another process meanwhile: retry for a few seconds.
    for (let attempt = 0; !this.offline && !this.closed && !this.api.listening; attempt++) {
      try {
        await listen(this.api, this.port, this.options.host)
      } catch (error) {
        if (attempt >= 100) {
          this.options.log(`emulator: cannot listen on port ${this.port} again: ${String(error)}`)
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    if ((this.offline || this.closed) && this.api.listening) {
      this.api.close()
      this.api.closeAllConnections()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const wake of this.sleepers) wake()
    await this.listening
    await Promise.all([closeServer(this.api), closeServer(this.controlServer)])
  }

  private async handleMain(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://emulator')
      const path = url.pathname
      if (path === controlPrefix || path.startsWith(`${controlPrefix}/`)) {
        const target = { path: path.slice(controlPrefix.length), query: url.searchParams }
        await handleControl(req, res, target, this.controlContext, true)
      } else if (path.startsWith('/api/')) {
        await this.handleApi(req, res, url)
      } else {
        sendNotFoundText(res)
      }
    } catch (error) {
      this.internalError(res, error)
    }
  }

  private async handleControlOnly(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://emulator')
      const path = url.pathname
      const target = {
        path: path.startsWith(controlPrefix) ? path.slice(controlPrefix.length) : path,
        query: url.searchParams
      }
      await handleControl(req, res, target, this.controlContext, false)
    } catch (error) {
      this.internalError(res, error)
    }
  }

  private internalError(res: ServerResponse, error: unknown): void {
    this.options.log(
      `emulator: internal error: ${error instanceof Error ? error.stack : String(error)}`
    )
    sendJson(res, 500, fail(500, 'Failed to marshal data.', this.options.service.switches).body)
  }

  /** One /api request: faults first (README, Faults), then routing, auth, RBAC and the handler. */
  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { service, faults } = this.options
    service.countApiRequest()
    const plan = faults.plan(req.method ?? 'GET')
    if (plan.delayMs > 0) await this.sleep(plan.delayMs)
    if (res.destroyed || req.socket.destroyed || this.closed) return
    const switches = service.switches
    if (plan.action === 'drop') {
      req.socket.destroy()
      return
    }
    if (plan.action === 'auth-fail') {
      send(res, fail(401, messages.notAuthorised, switches))
      return
    }
    if (plan.action === 'error' && this.options.faults.faults.errorEcho !== 'answer') {
      this.sendFault(res, await this.echoOfRequest(req))
      return
    }
    const match = matchApiRoute(req.method ?? 'GET', url.pathname)
    if (match.kind === 'not-found') {
      sendNotFoundText(res)
      return
    }
    if (match.kind === 'method-not-allowed') {
      sendJson(res, 405, null)
      return
    }
    const user = authenticate(req.headers.authorization, this.options.users, switches)
    if (!user) {
      send(res, fail(401, messages.notAuthorised, switches))
      return
    }
    if (!allowed(user, match.route.permission, req.method ?? 'GET')) {
      send(res, fail(403, messages.accessDenied(url.pathname), switches))
      return
    }
    const body = match.route.body ? await readBody(req) : ''
    const answer = match.route.handle(service, match.params, url.searchParams, body)
    if (plan.action === 'drop-after-commit') {
      req.socket.destroy()
      return
    }
    if (plan.action === 'error-after-commit' || plan.action === 'error') {
      // An 'error' plan reaching here echoes the answer it replaced (errorEcho: 'answer').
      const echo = plan.action === 'error' ? `: ${bodyText(answer.body)}` : ''
      this.sendFault(res, echo)
      return
    }
    send(res, answer)
  }

  /** The injected error answer: `errorStatus` with the error envelope and any `Retry-After`. */
  private sendFault(res: ServerResponse, echo = ''): void {
    const { errorStatus, retryAfterSec } = this.options.faults.faults
    const headers: Record<string, string> =
      retryAfterSec > 0 ? { 'retry-after': String(retryAfterSec) } : {}
    const message = `${faultMessage(errorStatus)}${echo}`
    send(res, fail(errorStatus, message, this.options.service.switches), headers)
  }

  /** What a Dashboard that echoes the request in its error says of it (errorEcho: 'request'). */
  private async echoOfRequest(req: IncomingMessage): Promise<string> {
    if (this.options.faults.faults.errorEcho !== 'request') return ''
    return `: authorization ${req.headers.authorization ?? ''} body ${await readBody(req)}`
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        this.sleepers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.sleepers.add(wake)
    })
  }
}

function send(res: ServerResponse, answer: ApiAnswer, headers: Record<string, string> = {}): void {
  sendJson(res, answer.status, answer.body, headers)
}

function bodyText(body: ApiAnswer['body']): string {
  if (body === null) return ''
  if (Array.isArray(body)) return Buffer.concat(body).toString('utf8')
  return body.toString()
}

function faultMessage(status: number): string {
  if (status === 500) return 'Failed to marshal data.'
  if (status === 401) return messages.notAuthorised
  return STATUS_CODES[status] ?? 'Error'
}

function listen(server: AnyServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = (): void => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

function boundPort(server: AnyServer): number {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('Emulator is not listening')
  return address.port
}

function closeServer(server: AnyServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      server.closeAllConnections()
      resolve()
      return
    }
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
