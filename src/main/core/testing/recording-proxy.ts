import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordingProxy {
  url: string
  /** Every `authorization` header a request carried, oldest first. */
  authorizations(): string[]
  close(): Promise<void>
}

/**
 * Test support: a second "Dashboard" on 127.0.0.1 that records the credentials it is sent and
 * forwards each request to `target` (a running emulator), so a profile pointed at it works.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const seen: string[] = []
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== undefined) seen.push(req.headers.authorization)
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations: () => [...seen],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
