import type { ApiAnswer } from './envelopes'
import type { PortalService } from './service'

/** The Dashboard permission an /api path falls under (README, Users). */
export type Permission = 'portal' | 'policy'

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  pattern: RegExp
  permission: Permission
  /** Whether the handler reads the request body. */
  body: boolean
  handle(service: PortalService, params: string[], query: URLSearchParams, body: string): ApiAnswer
}

const id = '([^/]+)'
const route = (
  method: ApiRoute['method'],
  path: string,
  handle: ApiRoute['handle'],
  options: { permission?: Permission; body?: boolean } = {}
): ApiRoute => ({
  method,
  pattern: new RegExp(`^${path}$`),
  permission: options.permission ?? 'portal',
  body: options.body ?? false,
  handle
})

const p = (params: string[], index: number): string => params[index] ?? ''

/** Every /api/portal endpoint the emulator serves; the first match wins. */
export const apiRoutes: ApiRoute[] = [
  route('GET', '/api/portal/requests', (s, _p, q) => s.listRequests(q)),
  route('POST', '/api/portal/requests', (s, _p, _q, body) => s.createRequest(body), { body: true }),
  route('PUT', `/api/portal/requests/approve/${id}`, (s, params) => s.approve(p(params, 0))),
  route('GET', `/api/portal/requests/${id}`, (s, params) => s.getRequest(p(params, 0))),
  route(
    'PUT',
    `/api/portal/requests/${id}`,
    (s, params, _q, body) => s.updateRequest(p(params, 0), body),
    {
      body: true
    }
  ),
  route('DELETE', `/api/portal/requests/${id}`, (s, params) => s.deleteRequest(p(params, 0))),
  route('GET', '/api/portal/developers', (s, _p, q) => s.listDevelopers(q)),
  route('GET', `/api/portal/developers/email/${id}`, (s, params) =>
    s.developerByEmail(p(params, 0))
  ),
  route('GET', `/api/portal/developers/${id}`, (s, params) => s.getDeveloper(p(params, 0))),
  route('GET', '/api/portal/policies', (s, _p, q) => s.listPolicies(q), { permission: 'policy' }),
  route('GET', `/api/portal/policies/${id}`, (s, params) => s.getPolicy(p(params, 0)), {
    permission: 'policy'
  }),
  route('GET', '/api/portal/catalogue', (s) => s.catalogue()),
  route('GET', '/api/portal/configuration', (s) => s.configuration())
]

export type RouteMatch =
  | { kind: 'route'; route: ApiRoute; params: string[] }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' }

/** Finds the route for a path (a trailing slash is ignored, as the Dashboard does). */
export function matchApiRoute(method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  let pathMatched = false
  for (const candidate of apiRoutes) {
    const match = candidate.pattern.exec(path)
    if (!match) continue
    if (candidate.method !== method) {
      pathMatched = true
      continue
    }
    const params = match.slice(1).map((segment) => safeDecode(segment))
    return { kind: 'route', route: candidate, params }
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
