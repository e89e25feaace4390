import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import path from 'node:path'
import { dispatchInvoke } from '../../src/main/ipc/dispatch'
import type { InvokeHandlers } from '../../src/shared/ipc'

export const INVOKE_PATH = '/__bench/invoke'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png'
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

async function invoke(handlers: InvokeHandlers, req: IncomingMessage, res: ServerResponse) {
  const { channel, args } = JSON.parse(await readBody(req)) as { channel: string; args: unknown }
  const result = await dispatchInvoke(handlers, channel, args)
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result))
}

/**
 * Serves the built renderer on a free loopback port, plus the bench's IPC: a same-origin POST
 * per invoke, answered by the real dispatcher. A JSON body parsed by fetch costs the page about
 * what Electron's structured-clone IPC does; a Playwright binding delivers 10,000 requests as
 * one huge evaluated script, which is not what the app pays.
 */
export async function serveRenderer(
  root: string,
  handlers: InvokeHandlers
): Promise<{ url: string; close(): Promise<void> }> {
  const base = path.resolve(root)
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    if (pathname === INVOKE_PATH && req.method === 'POST') {
      invoke(handlers, req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error))
      })
      return
    }
    const file = path.resolve(base, '.' + (pathname === '/' ? '/index.html' : pathname))
    if (!file.startsWith(base + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('renderer server has no port')
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
