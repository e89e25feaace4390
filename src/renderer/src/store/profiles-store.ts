import { create } from 'zustand'
import type { AppInfo, Connectivity, ProfileSummary } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { call } from '../api'

type Phase = 'loading' | 'ready' | 'error'

interface ProfilesState {
  info: AppInfo | null
  profiles: ProfileSummary[]
  phase: Phase
  error: AppError | null
  load(): Promise<void>
  setProfiles(profiles: ProfileSummary[]): void
  setConnectivity(profileId: string, connectivity: Connectivity): void
}

/** Saved portals with pending counts and connectivity, plus app:info (keychain availability). */
export const useProfilesStore = create<ProfilesState>()((set, get) => ({
  info: null,
  profiles: [],
  phase: 'loading',
  error: null,
  async load() {
    set({ phase: get().profiles.length > 0 ? 'ready' : 'loading', error: null })
    const [info, profiles] = await Promise.all([
      call((k) => k['app:info']()),
      call((k) => k['profiles:list']())
    ])
    if (info.ok) set({ info: info.value })
    if (profiles.ok) set({ profiles: profiles.value, phase: 'ready' })
    else set({ phase: 'error', error: profiles.error })
  },
  setProfiles(profiles) {
    set({ profiles, phase: 'ready', error: null })
  },
  setConnectivity(profileId, connectivity) {
    set({
      profiles: get().profiles.map((profile) =>
        profile.id === profileId ? { ...profile, connectivity } : profile
      )
    })
  }
}))

export function profileName(profiles: readonly ProfileSummary[], id: string): string {
  return profiles.find((profile) => profile.id === id)?.name ?? 'Removed portal'
}
