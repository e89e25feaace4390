import type { z } from 'zod'
import { createRedactor, type Redactor } from '../../logging/redactor'
import type { HttpResponse } from '../../ports'
import {
  failureFromResponse,
  failureFromTransport,
  invalidResponse,
  type CallContext
} from './failures'
import { limitJsonDepth } from '../json-depth'
import { PortalCallFailure, type PortalClientOptions } from '../portal-client'

export const defaultTimeoutMs = 10_000

export interface DashboardCall<T extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path under the Dashboard URL, e.g. `/api/portal/requests`; ids already encoded. */
  path: string
  query?: Record<string, string | number>
  body?: unknown
  schema: T
  write?: boolean
  /** Message for a 404; defaults to "<path> was not found on the Dashboard". */
  notFound?: string
}

/** One Dashboard, one secret: sends a call and returns its zod-validated JSON. */
export interface DashboardHttp {
  readonly host: string
  send<T extends z.ZodType>(call: DashboardCall<T>): Promise<z.output<T>>
}

/** The first problem zod found, where it is (`whole` names the value itself) and what. */
export function describeIssue(error: z.ZodError, whole = 'body'): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid shape'
  const where = issue.path.length > 0 ? issue.path.join('.') : whole
  return `${where} ${issue.message}`
}

/**
 * Builds the Dashboard caller used by the client and the connection test. The `authorization`
 * header carries the raw secret (no scheme), as every vendor sample does
 * (docs/architecture.md#tyk-classic).
 */
export function createDashboardHttp(options: PortalClientOptions): DashboardHttp {
  // An invalid URL fails each call (VALIDATION) rather than the construction of the client.
  const base = parseBase(options.profile.baseUrl)
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  const tls = { ca: options.profile.customCa, pinnedSha256: options.profile.pinnedSha256 }
  const redactor = options.redactor ?? ownRedactor(options.secret)

  const send = async <T extends z.ZodType>(call: DashboardCall<T>): Promise<z.output<T>> => {
    if (base instanceof PortalCallFailure) throw base
    const url = new URL(base.href)
    url.pathname = `${base.pathname.replace(/\/+$/, '')}${call.path}`
    for (const [name, value] of Object.entries(call.query ?? {})) {
      url.searchParams.set(name, String(value))
    }
    const context: CallContext = {
      method: call.method,
      path: call.path,
      host: url.host,
      write: call.write ?? false,
      notFound: call.notFound ?? `${call.path} was not found on the Dashboard`,
      timeoutMs,
      scrub: redactor.scrubText
    }
    const headers: Record<string, string> = {
      authorization: options.secret,
      accept: 'application/json'
    }
    if (call.body !== undefined) headers['content-type'] = 'application/json'

    let response: HttpResponse
    try {
      response = await options.transport({
        method: call.method,
        url: url.href,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        timeoutMs,
        tls
      })
    } catch (error) {
      const failure = failureFromTransport(error, context)
      options.logger?.warn('portal call failed', {
        method: call.method,
        path: call.path,
        code: failure.error.code,
        outcomeUnknown: failure.details.outcomeUnknown
      })
      throw failure
    }

    if (response.status < 200 || response.status >= 300) {
      const failure = failureFromResponse(response, context)
      options.logger?.warn('portal call refused', {
        method: call.method,
        path: call.path,
        status: response.status,
        code: failure.error.code
      })
      throw failure
    }

    let json: unknown
    try {
      json = limitJsonDepth(JSON.parse(response.body))
    } catch {
      throw invalidResponse(context, response.body.trim() ? 'not JSON' : 'empty body')
    }
    const parsed = call.schema.safeParse(json)
    if (!parsed.success) throw invalidResponse(context, describeIssue(parsed.error))
    return parsed.data
  }

  const host = base instanceof PortalCallFailure ? options.profile.baseUrl : base.host
  return { host, send }
}

function ownRedactor(secret: string): Pick<Redactor, 'scrubText'> {
  const redactor = createRedactor()
  redactor.register(secret)
  return redactor
}

function parseBase(baseUrl: string): URL | PortalCallFailure {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : null
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url
  return new PortalCallFailure(
    'VALIDATION',
    'The Dashboard URL is not valid: use http:// or https:// and the host, e.g. https://dashboard.example.com',
    false,
    { status: null, outcomeUnknown: false, retryAfterMs: null }
  )
}
