import { create } from 'zustand'
import type { DecisionLogEntry, RemovedPortal } from '../../../shared/domain'
import { Coalescer } from '../../../shared/coalescer'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { mergeDecisions, portalLabels, type DecisionRow } from '../lib/decision-rows'
import { useProfilesStore } from './profiles-store'

type Phase = 'idle' | 'loading' | 'ready' | 'error'

interface DecisionsState {
  /** Whose log is on screen: one portal's, or every portal's merged (null). */
  profileId: string | null
  /** False while another tab is on screen: pushes then skip the reload. */
  shown: boolean
  phase: Phase
  rows: DecisionRow[]
  /** Deleted portals whose logs the merged view holds (read with it); empty in one portal's. */
  removed: RemovedPortal[]
  /** The last load failed, for some portals or all; with rows present they are still shown. */
  error: AppError | null
  refreshing: boolean
  load(profileId: string | null, options?: { refresh?: boolean }): Promise<void>
  hide(): void
  /** An `outbox:changed` push: a decision was made or moved on, so reload what is on screen. */
  reloadIfShown(): void
}

/**
 * One error for what could not be read (portals' logs, the list of deleted portals), each named
 * in the merged view.
 */
function combinedError(
  failures: readonly { name: string; error: AppError }[],
  named: boolean
): AppError | null {
  const [first] = failures
  if (!first) return null
  if (!named) return first.error
  return {
    code: first.error.code,
    message: failures.map(({ name, error }) => `${name}: ${error.message}`).join(' '),
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
  removed: [],
  error: null,
  refreshing: false,

  load(profileId, options = {}) {
    return loads.run(async (isLatest) => {
      if (get().phase === 'idle' || get().profileId !== profileId) {
        set({ profileId, phase: 'loading', rows: [], error: null })
      }
      set({ shown: true, ...(options.refresh ? { refreshing: true } : {}) })
      const failures: { name: string; error: AppError }[] = []
      // The merged view holds deleted portals' kept logs too: the only trace of their declines.
      let removed: RemovedPortal[] = []
      if (profileId === null) {
        const answer = await call((k) => k['decisions:removedPortals']())
        if (!isLatest()) return
        if (answer.ok) removed = answer.value
        else failures.push({ name: 'Removed portals', error: answer.error })
      }
      const labels = portalLabels(useProfilesStore.getState().profiles, removed)
      const ids = profileId === null ? [...labels.keys()] : [profileId]
      const results = await Promise.all(
        ids.map((id) => call((k) => k['decisions:list']({ profileId: id })))
      )
      if (!isLatest()) return
      const logs: DecisionLogEntry[][] = []
      for (const [index, result] of results.entries()) {
        const id = ids[index] ?? ''
        if (result.ok) logs.push(result.value)
        else failures.push({ name: labels.get(id) ?? id, error: result.error })
      }
      const error = combinedError(failures, profileId === null)
      if (error && logs.length === 0) {
        set({ phase: get().rows.length > 0 ? 'ready' : 'error', error, refreshing: false })
      } else {
        set({ phase: 'ready', rows: mergeDecisions(logs), removed, error, refreshing: false })
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
