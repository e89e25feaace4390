import type { Profile } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { DemoPortal } from '../app-core-types'
import type { CredentialStore, Logger } from '../ports'
import type { ProfileService } from './profile-service'

export interface DemoPortalManager {
  /** Starts the demo portal (once) and answers its profile, created on first use. */
  start(): Promise<Profile>
  /** The demo profile was deleted: its portal has no one left to serve. */
  forgetProfile(profileId: string): Promise<void>
  stop(): Promise<void>
}

export interface DemoPortalDeps {
  profiles: Pick<ProfileService, 'list' | 'create' | 'update'>
  keychain: CredentialStore
  logger: Logger
  startDemoPortal?: () => Promise<DemoPortal>
}

export const DEMO_PROFILE_NAME = 'Demo portal'

/**
 * The first-run demo: the emulator in-process on a free loopback port, behind a profile marked
 * `demo`. The portal gets a new port and secret each run, so a saved demo profile is repointed.
 */
export function createDemoPortalManager(deps: DemoPortalDeps): DemoPortalManager {
  let running: { portal: DemoPortal; profileId: string } | null = null
  let starting: Promise<Profile> | null = null

  const launch = async (): Promise<Profile> => {
    if (!deps.startDemoPortal) {
      throw new AppFailure('NOT_FOUND', 'This build of Keygate comes without the demo portal.')
    }
    const saved = deps.profiles.list().find((profile) => profile.demo) ?? null
    if (running && saved?.id === running.profileId) return saved
    const portal = running?.portal ?? (await deps.startDemoPortal())
    try {
      // The demo never needs the keychain to work: without one its secret stays in memory.
      const sessionOnly = !(await deps.keychain.status()).available
      const fields = { baseUrl: portal.url, secret: portal.secret, sessionOnly }
      const profile = saved
        ? await deps.profiles.update(saved.id, fields)
        : await deps.profiles.create({ name: DEMO_PROFILE_NAME, ...fields }, { demo: true })
      running = { portal, profileId: profile.id }
      deps.logger.info('Demo portal started', { profileId: profile.id, url: portal.url })
      return profile
    } catch (e) {
      if (!running) await portal.close()
      throw e
    }
  }

  const close = async (): Promise<void> => {
    const current = running
    running = null
    await current?.portal.close()
  }

  return {
    start() {
      starting ??= launch().finally(() => {
        starting = null
      })
      return starting
    },
    async forgetProfile(profileId) {
      if (running?.profileId === profileId) await close()
    },
    stop: close
  }
}
