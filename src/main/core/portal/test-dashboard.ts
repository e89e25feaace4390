/**
 * Test support: a tiny scripted Dashboard on 127.0.0.1 for shapes the emulator does not make
 * (a Dashboard that ignores `p=-1`, bare bodies, HTML answers, odd statuses).
 */
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ScriptedAnswer {
  status?: number
  headers?: Record<string, string>
  /** Objects are sent as JSON, strings and bytes as they are. */
  body?: unknown
}

export interface SeenRequest {
  method: string
  path: string
  query: URLSearchParams
  authorization: string | undefined
  body: string
}

export interface ScriptedDashboard {
  url: string
  seen: SeenRequest[]
  close(): Promise<void>
}

export async function startScriptedDashboard(
  answer: (request: SeenRequest) => ScriptedAnswer
): Promise<ScriptedDashboard> {
  const seen: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const request: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization,
        body
      }
      seen.push(request)
      const scripted = answer(request)
      const payload =
        typeof scripted.body === 'string' || Buffer.isBuffer(scripted.body)
          ? scripted.body
          : JSON.stringify(scripted.body ?? {})
      res.writeHead(scripted.status ?? 200, {
        'content-type': 'application/json',
        ...scripted.headers
      })
      res.end(payload)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** `count` key request documents with 24-hex ids, newest first, as a Dashboard lists them. */
export function keyRequestDocs(count: number, prefix = 'a'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${String(i).padStart(23, '0')}`,
    by_user: 'd'.repeat(24),
    apply_policies: ['p'.repeat(24)],
    approved: false,
    date_created: new Date(Date.UTC(2026, 0, 1) - i * 60_000).toISOString(),
    fields: {}
  }))
}

/**
 * Resolves once 127.0.0.1:`port` accepts connections again: the emulator re-opens its listener
 * asynchronously after `setFaults({ offline: false })`.
 */
export async function untilListening(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (connected) return
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} is still not listening`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
