import { create } from 'zustand'
import type { DecisionLogEntry } from '../../../shared/domain'
import { Coalescer } from '../../../shared/coalescer'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { mergeDecisions, type DecisionRow } from '../lib/decision-rows'
import { profileName, useProfilesStore } from './profiles-store'

type Phase = 'idle' | 'loading' | 'ready' | 'error'

interface DecisionsState {
  /** Whose log is on screen: one portal's, or every portal's merged (null). */
  profileId: string | null
  /** False while another tab is on screen: pushes then skip the reload. */
  shown: boolean
  phase: Phase
  rows: DecisionRow[]
  /** The last load failed, for some portals or all; with rows present they are still shown. */
  error: AppError | null
  refreshing: boolean
  load(profileId: string | null, options?: { refresh?: boolean }): Promise<void>
  hide(): void
  /** An `outbox:changed` push: a decision was made or moved on, so reload what is on screen. */
  reloadIfShown(): void
}

/** One error for the portals whose log could not be read, each named in the merged view. */
function combinedError(
  failures: readonly { profileId: string; error: AppError }[],
  named: boolean
): AppError | null {
  const [first] = failures
  if (!first) return null
  if (!named) return first.error
  const profiles = useProfilesStore.getState().profiles
  return {
    code: first.error.code,
    message: failures
      .map(({ profileId, error }) => `${profileName(profiles, profileId)}: ${error.message}`)
      .join(' '),
    retryable: failures.some(({ error }) => error.retryable)
  }
}

// A flush can push many changes in a row: one load at a time, one more after it at most.
const loads = new Coalescer()

/** The local decision log (decisions:list), one portal's or all of them newest first. */
export const useDecisionsStore = create<DecisionsState>()((set, get) => ({
  profileId: null,
  shown: false,
  phase: 'idle',
  rows: [],
  error: null,
  refreshing: false,

  load(profileId, options = {}) {
    return loads.run(async (isLatest) => {
      if (get().phase === 'idle' || get().profileId !== profileId) {
        set({ profileId, phase: 'loading', rows: [], error: null })
      }
      set({ shown: true, ...(options.refresh ? { refreshing: true } : {}) })
      const ids =
        profileId === null
          ? useProfilesStore.getState().profiles.map((profile) => profile.id)
          : [profileId]
      const results = await Promise.all(
        ids.map((id) => call((k) => k['decisions:list']({ profileId: id })))
      )
      if (!isLatest()) return
      const logs: DecisionLogEntry[][] = []
      const failures: { profileId: string; error: AppError }[] = []
      for (const [index, result] of results.entries()) {
        if (result.ok) logs.push(result.value)
        else failures.push({ profileId: ids[index] ?? '', error: result.error })
      }
      const error = combinedError(failures, profileId === null)
      if (error && logs.length === 0) {
        set({ phase: get().rows.length > 0 ? 'ready' : 'error', error, refreshing: false })
      } else {
        set({ phase: 'ready', rows: mergeDecisions(logs), error, refreshing: false })
      }
    })
  },

  hide() {
    set({ shown: false })
  },

  reloadIfShown() {
    if (!get().shown) return
    loads.request(() => {
      if (get().shown) void get().load(get().profileId)
    })
  }
}))
