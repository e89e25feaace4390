import { mapBounded } from '../../../shared/bounded-pool'
import { AppFailure } from '../../../shared/result'
import type { PortalClient } from '../portal/portal-client'
import { classifyReadFailure, type ClassifiedFailure } from './failure'

/** A request's state on the Dashboard right now; `gone` means declined or deleted. */
export type RequestState = 'pending' | 'approved' | 'gone'

export type StatesRead =
  | { ok: true; states: Map<string, RequestState>; failures: Map<string, ClassifiedFailure> }
  /** A failure that concerns the whole profile: auth, or the list read failing transiently. */
  | { ok: false; failure: ClassifiedFailure }

/** Reads one request; NOT_FOUND means gone. Other failures are thrown as they came. */
export async function readRequestState(
  client: PortalClient,
  requestId: string
): Promise<RequestState> {
  try {
    const request = await client.getRequest(requestId)
    return request.approved ? 'approved' : 'pending'
  } catch (thrown) {
    if (thrown instanceof AppFailure && thrown.error.code === 'NOT_FOUND') return 'gone'
    throw thrown
  }
}

/**
 * The pre-flight check (docs/architecture.md#preflight). A single request (an interactive approve
 * or decline) is read with its own GET. For more, one pending-list read serves every request
 * given and a single GET settles each one missing from it; when the list read fails for a reason
 * other than auth or a transient one (say an unreadable page), every request is settled by its
 * own GET instead.
 */
export async function readRequestStates(
  client: PortalClient,
  requestIds: readonly string[],
  concurrency: number
): Promise<StatesRead> {
  const states = new Map<string, RequestState>()
  const failures = new Map<string, ClassifiedFailure>()
  if (requestIds.length === 1) {
    const requestId = requestIds[0] as string
    try {
      states.set(requestId, await readRequestState(client, requestId))
    } catch (thrown) {
      const failure = classifyReadFailure(thrown)
      // Like a failed list read: what concerns the connection waits for the profile as a whole.
      if (failure.kind === 'auth' || failure.kind === 'transient') return { ok: false, failure }
      failures.set(requestId, failure)
    }
    return { ok: true, states, failures }
  }
  let pending: Set<string> | null = null
  try {
    // An unreadable entry says nothing sure about its request: its own GET decides.
    const listed = await client.listRequests('pending')
    pending = new Set(listed.filter((request) => !request.unreadable).map((request) => request.id))
  } catch (thrown) {
    const failure = classifyReadFailure(thrown)
    if (failure.kind === 'auth' || failure.kind === 'transient') return { ok: false, failure }
  }
  const missing: string[] = []
  for (const requestId of requestIds) {
    if (pending?.has(requestId)) states.set(requestId, 'pending')
    else missing.push(requestId)
  }
  let stopped = null as ClassifiedFailure | null
  await mapBounded(missing, concurrency, async (requestId) => {
    if (stopped) return
    try {
      states.set(requestId, await readRequestState(client, requestId))
    } catch (thrown) {
      const failure = classifyReadFailure(thrown)
      if (failure.kind === 'auth') stopped = failure
      else failures.set(requestId, failure)
    }
  })
  if (stopped) return { ok: false, failure: stopped }
  return { ok: true, states, failures }
}
