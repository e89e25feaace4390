import type { ConnectionTest } from '../../../../shared/domain'
import type { DashboardHttp } from './dashboard-http'
import { PortalCallFailure } from '../portal-client'
import { statusEnvelopeSchema } from './schemas'

type Check = ConnectionTest['checks'][number]

/**
 * An ObjectId no Dashboard hands out (all zeros: time 0, counter 0). Deleting it asks the
 * Dashboard's permission check, which runs before the lookup, without touching any request.
 */
export const probeRequestId = '000000000000000000000000'

/**
 * Whether the Dashboard user may approve and decline, found without changing anything: a DELETE
 * of a key request that does not exist is refused with 403 when the user lacks the portal write
 * permission, and answered 404 when it has it. `decided` is false when the answer could not
 * tell (the check is then shown, but does not fail the connection test).
 */
export async function checkWritePermission(
  http: DashboardHttp
): Promise<{ check: Check; decided: boolean }> {
  const path = `/api/portal/requests/${probeRequestId}`
  const allowed = {
    name: 'write' as const,
    ok: true,
    message:
      'The Dashboard user can approve and decline (portal write permission; checked without changing anything)'
  }
  try {
    await http.send({ method: 'DELETE', path, schema: statusEnvelopeSchema })
    return { check: allowed, decided: true }
  } catch (error) {
    const code = error instanceof PortalCallFailure ? error.error.code : 'INTERNAL'
    if (code === 'NOT_FOUND') return { check: allowed, decided: true }
    if (code === 'FORBIDDEN') {
      return {
        check: {
          name: 'write',
          ok: false,
          message:
            "The API key works, but its Dashboard user lacks the portal write permission (403): approvals and declines will be refused. Grant the user portal write in the Dashboard's user settings."
        },
        decided: true
      }
    }
    const why = error instanceof PortalCallFailure ? error.message : 'an unexpected failure'
    return {
      check: {
        name: 'write',
        ok: false,
        message: `Could not check the write permission (${why}): approvals may still be refused with 403.`
      },
      decided: false
    }
  }
}
