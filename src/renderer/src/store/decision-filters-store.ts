import { create } from 'zustand'
import { noDecisionFilters, type DecisionFilters } from '../lib/decision-rows'
import { readSetting, writeSetting } from '../lib/local-settings'

const KEY = 'keygate.decisions.filters'

function loadFilters(): DecisionFilters {
  const value = readSetting(KEY)
  if (typeof value !== 'object' || value === null) return noDecisionFilters
  const stored = value as Record<string, unknown>
  const text = (name: keyof DecisionFilters) =>
    typeof stored[name] === 'string' ? (stored[name] as string) : ''
  const outcome = text('outcome')
  return {
    profileId: text('profileId'),
    from: text('from'),
    to: text('to'),
    outcome: ['done', 'waiting', 'conflict', 'failed', 'cancelled'].includes(outcome)
      ? (outcome as DecisionFilters['outcome'])
      : ''
  }
}

interface DecisionFiltersState {
  filters: DecisionFilters
  set(patch: Partial<DecisionFilters>): void
}

/** The decision log's filters; kept across restarts like the list's view. */
export const useDecisionFiltersStore = create<DecisionFiltersState>()((set, get) => ({
  filters: loadFilters(),
  set(patch) {
    const filters = { ...get().filters, ...patch }
    writeSetting(KEY, filters)
    set({ filters })
  }
}))
