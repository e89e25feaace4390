import type { IncomingMessage, ServerResponse } from 'node:http'

const maxBodyBytes = 64 * 1024 * 1024

/** The whole request body as UTF-8; rejects past 64 MB. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        reject(new Error('Request body larger than 64 MB'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * Sends a JSON body (none when null; byte pieces in turn when an array), unless the socket is
 * already gone.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string | Buffer | Buffer[] | null,
  headers: Record<string, string> = {}
): void {
  if (res.destroyed || res.writableEnded) return
  if (body === null) {
    res.writeHead(status, { ...headers, 'content-length': '0' })
    res.end()
    return
  }
  if (!Array.isArray(body)) {
    res.writeHead(status, { ...headers, 'content-type': 'application/json' })
    res.end(body)
    return
  }
  const length = body.reduce((sum, piece) => sum + piece.length, 0)
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(length)
  })
  res.cork()
  for (const piece of body) res.write(piece)
  res.uncork()
  res.end()
}

/** Go's net/http answer for an unknown route. */
export function sendNotFoundText(res: ServerResponse): void {
  if (res.destroyed || res.writableEnded) return
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
  res.end('404 page not found\n')
}
