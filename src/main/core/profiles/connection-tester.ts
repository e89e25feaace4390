import { defaultPortalKind, type ConnectionTest, type Profile } from '../../../shared/domain'
import { profileInputSchema, type ProfileInput } from '../../../shared/ipc'
import { AppFailure } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
import type { PortalAdapterRegistry } from '../portal/portal-adapter'
import type { PortalClientOptions } from '../portal/portal-client'
import type { HttpTransport, Logger } from '../ports'
import { normaliseFingerprint } from '../http/verifying-agent'
import { plainHttpRefusal } from './plain-http-policy'
import { normaliseBaseUrl, type ProfileService } from './profile-service'

export type ConnectionTestArgs = { id: string } | { draft: ProfileInput }

export interface ConnectionTesterDeps {
  profiles: Pick<ProfileService, 'credentialFor'>
  redactor: Pick<Redactor, 'register' | 'scrubText'>
  transport: HttpTransport
  logger: Logger
  /** Tests each profile with the adapter of its kind. */
  adapters: PortalAdapterRegistry
}

/** "Test connection" for a saved profile or for the editor's unsaved draft. */
export function createConnectionTester(
  deps: ConnectionTesterDeps
): (args: ConnectionTestArgs) => Promise<ConnectionTest> {
  const run = (profile: PortalClientOptions['profile'] & Pick<Profile, 'kind'>, secret: string) =>
    deps.adapters.adapterFor(profile.kind).testConnection({
      profile,
      secret,
      transport: deps.transport,
      logger: deps.logger,
      redactor: deps.redactor
    })

  return async (args) => {
    if ('draft' in args) {
      const draft = profileInputSchema.parse(args.draft)
      deps.redactor.register(draft.secret)
      const refusal = plainHttpRefusal(draft.baseUrl, draft.allowHttp ?? false)
      if (refusal) throw new AppFailure('VALIDATION', `baseUrl: ${refusal}`)
      return run(
        {
          id: 'draft',
          kind: defaultPortalKind,
          baseUrl: normaliseBaseUrl(draft.baseUrl),
          customCa: draft.customCa ?? null,
          pinnedSha256: draft.pinnedSha256 ? normaliseFingerprint(draft.pinnedSha256) : null
        },
        draft.secret
      )
    }
    let credential: Awaited<ReturnType<typeof deps.profiles.credentialFor>>
    try {
      credential = await deps.profiles.credentialFor(args.id)
    } catch (e) {
      // A missing secret is a failed check like any other; a broken keychain is not.
      if (!(e instanceof AppFailure) || e.error.code !== 'AUTH_REJECTED') throw e
      return {
        ok: false,
        checks: [{ name: 'auth', ok: false, message: e.message }],
        latencyMs: null,
        pendingCount: null
      }
    }
    return run(credential.profile, credential.secret)
  }
}
