import type { HttpRequest, HttpTransport } from '../../src/main/core/ports'

export interface TransportCounts {
  /** Calls by `METHOD route`, ids and query values folded (`GET /api/portal/requests/:id`). */
  byRoute: Record<string, number>
  requests: number
  /** Response body bytes (UTF-8). */
  bytesRead: number
}

export interface CountingTransport {
  transport: HttpTransport
  counts(): TransportCounts
  reset(): void
}

const routeOf = (request: HttpRequest): string => {
  const url = new URL(request.url)
  const pathname = url.pathname.replace(/\/[0-9a-f]{24}$/i, '/:id')
  const paging = url.searchParams.get('p')
  const page = paging === null ? '' : Number(paging) < 0 ? '?p=-1' : '?p=N'
  return `${request.method} ${pathname}${page}`
}

/**
 * Wraps a transport to count what the core sends and reads, so a figure can say "N requests"
 * and "M bytes" without trusting the code under test to report on itself.
 */
export function countingTransport(inner: HttpTransport): CountingTransport {
  let byRoute: Record<string, number> = {}
  let requests = 0
  let bytesRead = 0
  return {
    transport: async (request) => {
      const route = routeOf(request)
      byRoute[route] = (byRoute[route] ?? 0) + 1
      requests += 1
      const response = await inner(request)
      bytesRead += Buffer.byteLength(response.body, 'utf8')
      return response
    },
    counts: () => ({ byRoute: { ...byRoute }, requests, bytesRead }),
    reset: () => {
      byRoute = {}
      requests = 0
      bytesRead = 0
    }
  }
}

/**
 * A Dashboard that ignores `p=-1` and answers page 1 (docs/architecture.md#tyk-classic): the
 * client detects it and reads page by page, which is what "paging by 10" costs.
 */
export function ignoringAllPages(inner: HttpTransport): HttpTransport {
  return (request) => {
    const url = new URL(request.url)
    if (url.searchParams.get('p') === '-1') url.searchParams.set('p', '1')
    return inner({ ...request, url: url.href })
  }
}
