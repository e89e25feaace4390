import type { Permission } from './api-routes'
import type { EmulatorSwitches } from './types'

type Access = 'write' | 'read' | 'none'

/** A Dashboard user as the emulator knows it: an API key and its `user_permissions`. */
export interface DashboardUser {
  name: 'admin' | 'read-only'
  permissions: Record<Permission, Access>
}

export interface UserDirectory {
  secret: string
  readOnlySecret: string | undefined
}

/**
 * Finds the user whose API key is in `authorization` (the raw key, as every vendor sample sends
 * it; `Bearer <key>` only with acceptBearer). Null means 401 `Not authorised`.
 */
export function authenticate(
  header: string | undefined,
  users: UserDirectory,
  switches: Pick<EmulatorSwitches, 'acceptBearer' | 'policyAccess'>
): DashboardUser | null {
  if (!header) return null
  let key = header
  if (switches.acceptBearer) {
    const bearer = /^Bearer\s+(.+)$/i.exec(header)
    if (bearer?.[1]) key = bearer[1]
  }
  if (key === users.secret) {
    return {
      name: 'admin',
      permissions: { portal: 'write', policy: switches.policyAccess === 'read' ? 'read' : 'none' }
    }
  }
  if (users.readOnlySecret !== undefined && key === users.readOnlySecret) {
    return { name: 'read-only', permissions: { portal: 'read', policy: 'read' } }
  }
  return null
}

/** The default OPA intent rules: GET/HEAD need read or write; POST, PUT and DELETE need write. */
export function allowed(user: DashboardUser, permission: Permission, method: string): boolean {
  const access = user.permissions[permission]
  if (access === 'write') return true
  return access === 'read' && (method === 'GET' || method === 'HEAD')
}
