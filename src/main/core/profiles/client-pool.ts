import { AppFailure, type AppError } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
import type { PortalClient, PortalClientOptions } from '../portal/portal-client'
import type { HttpTransport, Logger } from '../ports'
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
  createClient: (options: PortalClientOptions) => PortalClient
}

/** Records each call's outcome against the profile's connectivity, then passes it through. */
function observed(client: PortalClient, report: (error: unknown) => void): PortalClient {
  const watch =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await fn(...args)
        report(null)
        return result
      } catch (e) {
        report(e)
        throw e
      }
    }
  return {
    listRequests: watch(client.listRequests.bind(client)),
    firstPage: client.firstPage && watch(client.firstPage.bind(client)),
    getRequest: watch(client.getRequest.bind(client)),
    approve: watch(client.approve.bind(client)),
    decline: watch(client.decline.bind(client)),
    createRequest: watch(client.createRequest.bind(client)),
    listDevelopers: watch(client.listDevelopers.bind(client)),
    listPolicies: watch(client.listPolicies.bind(client))
  }
}

/** One portal client per profile, cached until the profile changes or goes. */
export function createPortalClientPool(deps: PortalClientPoolDeps): PortalClientPool {
  const clients = new Map<string, Promise<PortalClient>>()

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
    const client = deps.createClient({
      profile,
      secret,
      transport: deps.transport,
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
