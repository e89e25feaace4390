import { AppFailure, type AppError } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
import { limitCalls, type CallCeiling } from '../portal/call-ceiling'
import type { PortalAdapterRegistry } from '../portal/portal-adapter'
import type { PortalClient } from '../portal/portal-client'
import type { Clock, HttpTransport, Logger } from '../ports'
import type { ProfileService } from './profile-service'

export interface PortalClientPool {
  /** The profile's client, built on first use; every call it makes feeds connectivity. */
  client(profileId: string): Promise<PortalClient>
  /** Drops the cached client, after the profile's URL, TLS settings or secret changed. */
  invalidate(profileId: string): void
}

export interface PortalClientPoolDeps {
  profiles: Pick<ProfileService, 'credentialFor'>
  /** Told the outcome of every call (null for success), to judge the profile's connectivity. */
  onOutcome: (profileId: string, error: AppError | null) => void
  transport: HttpTransport
  logger: Logger
  redactor: Pick<Redactor, 'register' | 'scrubText'>
  /** Builds each client with the adapter of its profile's kind. */
  adapters: PortalAdapterRegistry
  /** Runs the per-Dashboard call ceiling's timers. */
  clock: Clock
  /** Default `defaultCallCeiling`. */
  callCeiling?: CallCeiling
}

/**
 * A write the Dashboard answered with a failure (5xx, 429, an unreadable 2xx) says how that one
 * write went, not whether the portal answers: reads decide that. Otherwise each failed write
 * marks the portal degraded and the next good read "reconnects" it, again and again.
 */
const answeredWriteFailure: ReadonlySet<string> = new Set([
  'SERVER_ERROR',
  'RATE_LIMITED',
  'INVALID_RESPONSE'
])

/** Records each call's outcome against the profile's connectivity, then passes it through. */
function observed(client: PortalClient, report: (error: unknown) => void): PortalClient {
  const watch =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, write = false) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await fn(...args)
        report(null)
        return result
      } catch (e) {
        const answered = e instanceof AppFailure && answeredWriteFailure.has(e.error.code)
        if (!(write && answered)) report(e)
        throw e
      }
    }
  return {
    listRequests: watch(client.listRequests.bind(client)),
    firstPage: client.firstPage && watch(client.firstPage.bind(client)),
    getRequest: watch(client.getRequest.bind(client)),
    approve: watch(client.approve.bind(client), true),
    decline: watch(client.decline.bind(client), true),
    createRequest: watch(client.createRequest.bind(client), true),
    listDevelopers: watch(client.listDevelopers.bind(client)),
    listDeveloperAccess:
      client.listDeveloperAccess && watch(client.listDeveloperAccess.bind(client)),
    listCatalogue: client.listCatalogue && watch(client.listCatalogue.bind(client)),
    listPolicies: watch(client.listPolicies.bind(client))
  }
}

/** One portal client per profile, cached until the profile changes or goes. */
export function createPortalClientPool(deps: PortalClientPoolDeps): PortalClientPool {
  const clients = new Map<string, Promise<PortalClient>>()
  // Kept across rebuilt clients, so editing a profile does not refill its bucket.
  const ceilings = new Map<string, HttpTransport>()
  const limited = (profileId: string): HttpTransport => {
    let transport = ceilings.get(profileId)
    if (!transport) {
      transport = limitCalls(deps.transport, deps.clock, deps.callCeiling)
      ceilings.set(profileId, transport)
    }
    return transport
  }

  const report = (profileId: string) => (error: unknown) => {
    if (error === null) deps.onOutcome(profileId, null)
    else if (error instanceof AppFailure) deps.onOutcome(profileId, error.error)
  }

  const build = async (profileId: string): Promise<PortalClient> => {
    let credential: Awaited<ReturnType<typeof deps.profiles.credentialFor>>
    try {
      credential = await deps.profiles.credentialFor(profileId)
    } catch (e) {
      report(profileId)(e)
      throw e
    }
    // The client talks only to the origin the secret was checked against, whatever is saved later.
    const { profile, secret } = credential
    const client = deps.adapters.adapterFor(profile.kind).createClient({
      profile,
      secret,
      transport: limited(profileId),
      logger: deps.logger,
      redactor: deps.redactor
    })
    return observed(client, report(profileId))
  }

  return {
    client(profileId) {
      const cached = clients.get(profileId)
      if (cached) return cached
      const created = build(profileId)
      clients.set(profileId, created)
      // A failed build (no secret yet, keychain down) must not stick: the next call retries.
      created.catch(() => {
        if (clients.get(profileId) === created) clients.delete(profileId)
      })
      return created
    },
    invalidate: (profileId) => {
      clients.delete(profileId)
    }
  }
}
