import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { profileSchema, type Profile, type SecretStorage } from '../../../shared/domain'
import { profileInputSchema, profilePatchSchema, type ProfileInput } from '../../../shared/ipc'
import { AppFailure } from '../../../shared/result'
import type { Redactor } from '../logging/redactor'
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
  hasSecret(id: string): Promise<boolean>
  /** Told after every create, update and delete: clients to rebuild, caches to forget. */
  onChange(listener: (change: ProfileChange) => void): () => void
}

export interface ProfileChange {
  id: string
  kind: 'created' | 'updated' | 'deleted'
}

const PROFILES_KEY = 'profiles'

/** `https://dash.example.com/` and `https://dash.example.com` are the same Dashboard. */
export function normaliseDashboardUrl(url: string): string {
  return url.trim().replace(/\/+$/, '')
}

/** Saved portal profiles; their secrets live in the keychain (or session memory), never the store. */
export function createProfileService(deps: ProfileServiceDeps): ProfileService {
  const clock = deps.clock ?? systemClock
  const listeners = new Set<(change: ProfileChange) => void>()
  const changed = (change: ProfileChange): void => {
    for (const listener of listeners) listener(change)
  }

  const read = (): Profile[] => {
    const raw = deps.store.get<unknown>(PROFILES_KEY)
    if (!Array.isArray(raw)) return []
    const profiles: Profile[] = []
    for (const item of raw) {
      const parsed = profileSchema.safeParse(item)
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

  const saveSecret = async (storage: SecretStorage, id: string, secret: string): Promise<void> => {
    deps.redactor.register(secret)
    if (storage === 'keychain') await requireKeychain()
    await storeFor(storage).set(id, secret)
  }

  /** Best effort: a keychain that stopped answering must not block what the user asked for. */
  const forgetSecret = async (storage: SecretStorage, id: string): Promise<void> => {
    try {
      await storeFor(storage).delete(id)
    } catch (e) {
      deps.logger.warn('Could not remove a stored API key', { profileId: id, storage, error: e })
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
        kind: 'tyk-classic',
        dashboardUrl: normaliseDashboardUrl(parsed.dashboardUrl),
        customCa: parsed.customCa ?? null,
        allowSelfSigned: parsed.allowSelfSigned ?? false,
        pollIntervalSec: parsed.pollIntervalSec ?? 60,
        notifications: parsed.notifications ?? true,
        secretStorage: storage,
        demo: options.demo ?? false,
        createdAt: new Date(clock.now()).toISOString()
      }
      await saveSecret(storage, profile.id, parsed.secret)
      try {
        write([...read(), profile])
      } catch (e) {
        // No profile points at that secret: leave no orphan behind in the keychain.
        await forgetSecret(storage, profile.id)
        const reason = e instanceof Error ? e.message : String(e)
        throw new AppFailure(
          'INTERNAL',
          `Could not save the profile (${reason}): free disk space or make Keygate's data folder writable, then save again.`
        )
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
      const moved = storage !== current.secretStorage
      const secret = parsed.secret ?? (moved ? await storeFor(current.secretStorage).get(id) : null)
      if (secret !== null) await saveSecret(storage, id, secret)
      if (moved) await forgetSecret(current.secretStorage, id)

      const next: Profile = {
        ...current,
        name: parsed.name ?? current.name,
        dashboardUrl:
          parsed.dashboardUrl === undefined
            ? current.dashboardUrl
            : normaliseDashboardUrl(parsed.dashboardUrl),
        customCa: parsed.customCa === undefined ? current.customCa : parsed.customCa,
        allowSelfSigned: parsed.allowSelfSigned ?? current.allowSelfSigned,
        pollIntervalSec: parsed.pollIntervalSec ?? current.pollIntervalSec,
        notifications: parsed.notifications ?? current.notifications,
        secretStorage: storage
      }
      write(read().map((p) => (p.id === id ? next : p)))
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
      const profile = get(id)
      const secret = await storeFor(profile.secretStorage).get(id)
      if (!secret) {
        throw new AppFailure(
          'AUTH_REJECTED',
          profile.secretStorage === 'session'
            ? `The API key of "${profile.name}" was kept for the last session only: edit the profile and paste it again.`
            : `No API key is stored for "${profile.name}": edit the profile and paste the Dashboard API key.`
        )
      }
      deps.redactor.register(secret)
      return secret
    },

    async hasSecret(id) {
      try {
        return (await storeFor(get(id).secretStorage).get(id)) !== null
      } catch {
        return false
      }
    },

    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
