import { useMemo } from 'react'
import { applyDecisionFilters, filterDecisions, type DecisionRow } from '../lib/decision-rows'
import { useDecisionFiltersStore } from '../store/decision-filters-store'
import { useDecisionsStore } from '../store/decisions-store'
import { useRequestsStore } from '../store/requests-store'

/** The decision log narrowed by its filters and the toolbar's search (shared with the lists). */
export function useShownDecisions(): DecisionRow[] {
  const rows = useDecisionsStore((state) => state.rows)
  const terms = useRequestsStore((state) => state.terms)
  const filters = useDecisionFiltersStore((state) => state.filters)
  return useMemo(
    () => filterDecisions(applyDecisionFilters(rows, filters), terms),
    [rows, terms, filters]
  )
}
