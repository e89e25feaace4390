import type { IncomingMessage, ServerResponse } from 'node:http'
import { serveStatic } from '../../e2e/harness/static-server'
import { dispatchInvoke } from '../../src/main/ipc/dispatch'
import type { InvokeHandlers } from '../../src/shared/ipc'

export const INVOKE_PATH = '/__bench/invoke'

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
export function serveRenderer(
  root: string,
  handlers: InvokeHandlers
): Promise<{ url: string; close(): Promise<void> }> {
  return serveStatic(root, (pathname, req, res) => {
    if (pathname !== INVOKE_PATH || req.method !== 'POST') return false
    invoke(handlers, req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error))
    })
    return true
  })
}
