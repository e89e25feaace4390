import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  DEFAULT_SLA,
  defaultPortalKind,
  profileSchema,
  type Profile,
  type SecretStorage
} from '../../../shared/domain'
import { profileInputSchema, profilePatchSchema, type ProfileInput } from '../../../shared/ipc'
import { Emitter } from '../../../shared/emitter'
import { AppFailure } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
import { normaliseFingerprint } from '../http/verifying-agent'
import { plainHttpRefusal } from './plain-http-policy'
import { migrateSavedProfile } from './profile-migration'
import { bindingOf, rebindReason, seal, unseal } from './secret-binding'
import {
  systemClock,
  type Clock,
  type CredentialStore,
  type KeyValueStore,
  type Logger
} from '../ports'

export type ProfilePatch = z.input<typeof profilePatchSchema>['patch']

export interface ProfileServiceDeps {
  /** The `profiles` store: profile metadata only, never a secret. */
  store: KeyValueStore
  /** The OS keychain. */
  keychain: CredentialStore
  /** Process memory, for profiles the user chose to keep for this session only. */
  session: CredentialStore
  redactor: Pick<Redactor, 'register'>
  logger: Logger
  clock?: Clock
}

export interface ProfileService {
  /** Every saved profile, in creation order. */
  list(): Profile[]
  /** Throws NOT_FOUND when no profile has that id. */
  get(id: string): Profile
  create(input: ProfileInput, options?: { demo?: boolean }): Promise<Profile>
  update(id: string, patch: ProfilePatch): Promise<Profile>
  /** Removes the profile, its keychain entry, and (through `onChange`) everything cached for it. */
  delete(id: string): Promise<void>
  /** The API secret, for the core's portal clients only: never return it across IPC or log it. */
  secretFor(id: string): Promise<string>
  /**
   * The profile together with its API secret, only while the profile still points at the origin
   * (and TLS trust) the secret was entered for. Clients are built from this pair, never from a
   * profile and a secret read separately.
   */
  credentialFor(id: string): Promise<{ profile: Profile; secret: string }>
  hasSecret(id: string): Promise<boolean>
  /**
   * Deletes the keychain entries that could not be deleted with their profile (the keychain was
   * down); the ones that still fail are kept for the next call. Call at start.
   */
  deleteLeftoverSecrets(): Promise<void>
  /** Told after every create, update and delete: clients to rebuild, caches to forget. */
  onChange(listener: (change: ProfileChange) => void): () => void
}

export interface ProfileChange {
  id: string
  kind: 'created' | 'updated' | 'deleted'
}

const PROFILES_KEY = 'profiles'
/** Profile ids whose keychain entry outlived the profile, to delete at the next start. */
const LEFTOVER_SECRETS_KEY = 'leftoverSecrets'

/** `https://dash.example.com/` and `https://dash.example.com` are the same Dashboard. */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '')
}

/** A profile file that could not be written, with what the user can do about it. */
function saveFailure(e: unknown): AppFailure {
  const reason = e instanceof Error ? e.message : String(e)
  return new AppFailure(
    'INTERNAL',
    `Could not save the profile (${reason}): free disk space or make Keygate's data folder writable, then save again.`
  )
}

/** Saved portal profiles; their secrets live in the keychain (or session memory), never the store. */
export function createProfileService(deps: ProfileServiceDeps): ProfileService {
  const clock = deps.clock ?? systemClock
  const changes = new Emitter<ProfileChange>((error, change) =>
    deps.logger.error('A profile change listener failed', { ...change, error })
  )
  const changed = (change: ProfileChange): void => changes.emit(change)

  const read = (): Profile[] => {
    const raw = deps.store.get<unknown>(PROFILES_KEY)
    if (!Array.isArray(raw)) return []
    const profiles: Profile[] = []
    for (const item of raw) {
      const parsed = profileSchema.safeParse(migrateSavedProfile(item))
      if (parsed.success) profiles.push(parsed.data)
      else deps.logger.warn('Skipped an unreadable saved profile', { issue: parsed.error.message })
    }
    return profiles
  }
  const write = (profiles: Profile[]): void => deps.store.set(PROFILES_KEY, profiles)

  const get = (id: string): Profile => {
    const profile = read().find((p) => p.id === id)
    if (!profile) throw new AppFailure('NOT_FOUND', 'That portal profile no longer exists.')
    return profile
  }

  const storeFor = (storage: SecretStorage): CredentialStore =>
    storage === 'keychain' ? deps.keychain : deps.session

  /** Never fall back to anything weaker than the keychain without the user asking for it. */
  const requireKeychain = async (): Promise<void> => {
    const status = await deps.keychain.status()
    if (!status.available) {
      throw new AppFailure(
        'KEYCHAIN_UNAVAILABLE',
        status.message ??
          'No OS keychain is available. Install one, or keep the API key for this session only.'
      )
    }
  }

  /** Stores the secret bound to the profile's origin and TLS trust. */
  const saveSecret = async (storage: SecretStorage, profile: Profile, secret: string) => {
    deps.redactor.register(secret)
    if (storage === 'keychain') await requireKeychain()
    await storeFor(storage).set(profile.id, seal(secret, bindingOf(profile)))
  }

  const requireEncryptionChoice = (profile: Profile): void => {
    const refusal = plainHttpRefusal(profile.baseUrl, profile.allowHttp)
    if (refusal) throw new AppFailure('VALIDATION', `baseUrl: ${refusal}`)
  }

  const requireSlaOrder = (profile: Profile): void => {
    if (profile.slaBreachHours <= profile.slaWarnHours) {
      throw new AppFailure(
        'VALIDATION',
        'slaBreachHours: Overdue must come later than late: give it more hours than the warning'
      )
    }
  }

  const missingSecret = (profile: Profile): AppFailure =>
    new AppFailure(
      'AUTH_REJECTED',
      profile.secretStorage === 'session'
        ? `The API key of "${profile.name}" was kept for the last session only: edit the profile and paste it again.`
        : `No API key is stored for "${profile.name}": edit the profile and paste the Dashboard API key.`
    )

  const credentialFor = async (id: string): Promise<{ profile: Profile; secret: string }> => {
    const stored = await storeFor(get(id).secretStorage).get(id)
    // Checked against the profile as it is now: a pair torn by a concurrent save never matches.
    const profile = get(id)
    const refusal = plainHttpRefusal(profile.baseUrl, profile.allowHttp)
    if (refusal) throw new AppFailure('TLS', `"${profile.name}": ${refusal} (edit the profile).`)
    if (!stored) throw missingSecret(profile)
    const { secret, binding } = unseal(stored)
    deps.redactor.register(secret)
    if (binding === null) {
      // Saved before keys were bound: bind it to the URL it has been used with all along.
      await storeFor(profile.secretStorage)
        .set(id, seal(secret, bindingOf(profile)))
        .catch((e: unknown) =>
          deps.logger.warn('Could not bind a stored API key to its Dashboard', {
            profileId: id,
            error: e
          })
        )
    } else {
      const why = rebindReason(binding, bindingOf(profile))
      if (why) {
        throw new AppFailure(
          'AUTH_REJECTED',
          `"${profile.name}": ${why} (the saved key was entered for ${binding.origin}). Edit the profile and paste the key; until then nothing is sent.`
        )
      }
    }
    return { profile, secret }
  }

  const leftovers = (): string[] => {
    const raw = deps.store.get<unknown>(LEFTOVER_SECRETS_KEY)
    return Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : []
  }
  const setLeftovers = (ids: string[]): void => deps.store.set(LEFTOVER_SECRETS_KEY, ids)

  /**
   * A keychain that stopped answering must not block what the user asked for, nor leave the
   * secret behind for good: the entry is recorded and deleted at the next start.
   */
  const forgetSecret = async (storage: SecretStorage, id: string): Promise<void> => {
    try {
      await storeFor(storage).delete(id)
    } catch (e) {
      deps.logger.warn('Could not remove a stored API key; it is deleted at the next start', {
        profileId: id,
        storage,
        error: e
      })
      if (storage === 'keychain' && !leftovers().includes(id)) setLeftovers([...leftovers(), id])
    }
  }

  /** Puts back the secret a failed save replaced, since the profile on disk still expects it. */
  const restoreSecret = async (
    storage: SecretStorage,
    id: string,
    sealed: string | null
  ): Promise<void> => {
    if (sealed === null) return forgetSecret(storage, id)
    try {
      await storeFor(storage).set(id, sealed)
    } catch (e) {
      deps.logger.warn('Could not put the previous API key back', {
        profileId: id,
        storage,
        error: e
      })
    }
  }

  return {
    list: read,
    get,

    async create(input, options = {}) {
      const parsed = profileInputSchema.parse(input)
      deps.redactor.register(parsed.secret)
      const storage: SecretStorage = parsed.sessionOnly ? 'session' : 'keychain'
      const profile: Profile = {
        id: randomUUID(),
        name: parsed.name,
        kind: defaultPortalKind,
        baseUrl: normaliseBaseUrl(parsed.baseUrl),
        customCa: parsed.customCa ?? null,
        pinnedSha256: parsed.pinnedSha256 ? normaliseFingerprint(parsed.pinnedSha256) : null,
        reconfirmCertificate: false,
        allowHttp: parsed.allowHttp ?? false,
        pollIntervalSec: parsed.pollIntervalSec ?? 60,
        notifications: parsed.notifications ?? true,
        slaWarnHours: parsed.slaWarnHours ?? DEFAULT_SLA.warnHours,
        slaBreachHours: parsed.slaBreachHours ?? DEFAULT_SLA.breachHours,
        secretStorage: storage,
        demo: options.demo ?? false,
        createdAt: new Date(clock.now()).toISOString()
      }
      requireEncryptionChoice(profile)
      requireSlaOrder(profile)
      await saveSecret(storage, profile, parsed.secret)
      try {
        write([...read(), profile])
      } catch (e) {
        // No profile points at that secret: leave no orphan behind in the keychain.
        await forgetSecret(storage, profile.id)
        throw saveFailure(e)
      }
      changed({ id: profile.id, kind: 'created' })
      deps.logger.info('Profile created', { profileId: profile.id, secretStorage: storage })
      return profile
    },

    async update(id, patch) {
      const parsed = profilePatchSchema.shape.patch.parse(patch)
      if (parsed.secret) deps.redactor.register(parsed.secret)
      const current = get(id)
      const storage: SecretStorage =
        parsed.sessionOnly === undefined
          ? current.secretStorage
          : parsed.sessionOnly
            ? 'session'
            : 'keychain'
      const next: Profile = {
        ...current,
        name: parsed.name ?? current.name,
        baseUrl: parsed.baseUrl === undefined ? current.baseUrl : normaliseBaseUrl(parsed.baseUrl),
        customCa: parsed.customCa === undefined ? current.customCa : parsed.customCa,
        ...(parsed.pinnedSha256 === undefined
          ? {}
          : {
              pinnedSha256: parsed.pinnedSha256 && normaliseFingerprint(parsed.pinnedSha256),
              reconfirmCertificate: current.reconfirmCertificate && parsed.pinnedSha256 === null
            }),
        allowHttp: parsed.allowHttp ?? current.allowHttp,
        pollIntervalSec: parsed.pollIntervalSec ?? current.pollIntervalSec,
        notifications: parsed.notifications ?? current.notifications,
        slaWarnHours: parsed.slaWarnHours ?? current.slaWarnHours,
        slaBreachHours: parsed.slaBreachHours ?? current.slaBreachHours,
        secretStorage: storage
      }
      requireEncryptionChoice(next)
      requireSlaOrder(next)
      const rebind = rebindReason(bindingOf(current), bindingOf(next))
      if (rebind && !parsed.secret) throw new AppFailure('VALIDATION', `secret: ${rebind}`)

      const moved = storage !== current.secretStorage
      const replaced = parsed.secret || moved ? await storeFor(storage).get(id) : null
      if (parsed.secret) await saveSecret(storage, next, parsed.secret)
      else if (moved) {
        // The sealed value moves as it is: same origin, same binding.
        const sealed = await storeFor(current.secretStorage).get(id)
        if (sealed !== null) {
          if (storage === 'keychain') await requireKeychain()
          await storeFor(storage).set(id, sealed)
        }
      }
      try {
        write(read().map((p) => (p.id === id ? next : p)))
      } catch (e) {
        if (parsed.secret || moved) await restoreSecret(storage, id, replaced)
        throw saveFailure(e)
      }
      // Only once the profile points at its new place: until then the old one is the secret.
      if (moved) await forgetSecret(current.secretStorage, id)

      changed({ id, kind: 'updated' })
      deps.logger.info('Profile updated', { profileId: id, secretStorage: storage })
      return next
    },

    async delete(id) {
      const profile = get(id)
      write(read().filter((p) => p.id !== id))
      await deps.session.delete(id)
      if (profile.secretStorage === 'keychain') await forgetSecret('keychain', id)
      changed({ id, kind: 'deleted' })
      deps.logger.info('Profile deleted', { profileId: id })
    },

    async secretFor(id) {
      return (await credentialFor(id)).secret
    },

    credentialFor,

    async hasSecret(id) {
      try {
        const profile = get(id)
        const stored = await storeFor(profile.secretStorage).get(id)
        if (stored === null) return false
        // A key entered for another origin or trust is as good as none: it must be pasted again.
        const { binding } = unseal(stored)
        return binding === null || rebindReason(binding, bindingOf(profile)) === null
      } catch {
        return false
      }
    },

    async deleteLeftoverSecrets() {
      for (const id of leftovers()) {
        // A profile that is back in use (its storage moved to the keychain again) keeps its entry.
        if (read().some((p) => p.id === id && p.secretStorage === 'keychain')) {
          setLeftovers(leftovers().filter((left) => left !== id))
          continue
        }
        try {
          await deps.keychain.delete(id)
          setLeftovers(leftovers().filter((left) => left !== id))
          deps.logger.info('Removed the stored API key of a deleted profile', { profileId: id })
        } catch (e) {
          deps.logger.warn(
            'Could not remove a stored API key yet; trying again at the next start',
            {
              profileId: id,
              error: e
            }
          )
        }
      }
    },

    onChange: (listener) => changes.on(listener)
  }
}
