import http from 'node:http'
import https from 'node:https'
import { startEmulator } from './index'
import type { EmulatorOptions, RunningEmulator } from './types'

/** Helpers for the emulator's own tests: real HTTP, one connection per call (no pooling). */

export const testSecret = 'test-admin-secret'
export const readOnlySecret = 'test-read-only-secret'
/** A fixed anchor so seeded dates are identical on every run. */
export const seedNow = Date.parse('2025-03-01T12:00:00Z')

export function startTestEmulator(
  options: Partial<EmulatorOptions> = {}
): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    secret: testSecret,
    readOnlySecret,
    seed: 7,
    seedPending: 25,
    seedApproved: 10,
    seedNow,
    ...options
  })
}

export interface HttpResult {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  json: <T = unknown>() => T
}

export interface CallOptions {
  body?: string | object
  /** The authorization header; null sends none. Default: the admin secret. */
  auth?: string | null
  headers?: Record<string, string>
  ca?: string
}

/** One HTTP(S) call; resolves with the answer, rejects with the socket error (code in `.code`). */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<HttpResult> {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body)
  const headers: Record<string, string> = { ...options.headers }
  const auth = options.auth === undefined ? testSecret : options.auth
  if (auth !== null) headers.authorization = auth
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      { method, headers, agent: false, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T
          })
        })
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** A call to the Dashboard API of `emu` (paths like `/api/portal/requests`). */
export function api(
  emu: RunningEmulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<HttpResult> {
  return call(emu.url, method, path, options)
}

/** A call to the always-on control listener (paths relative to /__emulator, e.g. `stats`). */
export function controlCall(
  emu: RunningEmulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<HttpResult> {
  return call(`${emu.controlUrl}/`, method, path, options)
}

/** The socket error a call ends with, e.g. 'ECONNREFUSED' or 'ECONNRESET'. */
export async function callError(promise: Promise<HttpResult>): Promise<string> {
  try {
    const result = await promise
    return `answered ${result.status}`
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error)
  }
}

export interface KeyRequestDoc {
  id: string
  approved: boolean
  date_created: string
  by_user: string
  apply_policies?: string[] | null
  for_plan?: string
  fields: Record<string, string> | null
  portal_developer: { id: string; email: string; keys: Record<string, string[]> | null }
  catalogue_entry: { name: string; auth_type: string; policy_id: string }
  catalogues: { name: string; policy_id: string }[] | null
  [key: string]: unknown
}

export interface ListBody<T> {
  Data: T[] | null
  Pages: number
}

/** GET a list and return its envelope. */
export async function list<T = KeyRequestDoc>(
  emu: RunningEmulator,
  path: string
): Promise<ListBody<T>> {
  const result = await api(emu, 'GET', path)
  if (result.status !== 200)
    throw new Error(`GET ${path} answered ${result.status}: ${result.text}`)
  return result.json<ListBody<T>>()
}

/** The first pending request of a catalogue auth type. */
export async function pendingOfAuthType(
  emu: RunningEmulator,
  authType: string
): Promise<KeyRequestDoc> {
  const { Data } = await list(emu, '/api/portal/requests?p=-1&approved=false')
  const found = (Data ?? []).find(
    (r) => r.catalogue_entry.auth_type === authType && Array.isArray(r.apply_policies)
  )
  if (!found) throw new Error(`No pending ${authType} request in the seed`)
  return found
}
