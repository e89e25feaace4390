import { useMemo } from 'react'
import { filterDecisions, type DecisionRow } from '../lib/decision-rows'
import { useDecisionsStore } from '../store/decisions-store'
import { useRequestsStore } from '../store/requests-store'

/** The decision log narrowed by the toolbar's search, which the request lists share. */
export function useShownDecisions(): DecisionRow[] {
  const rows = useDecisionsStore((state) => state.rows)
  const terms = useRequestsStore((state) => state.terms)
  return useMemo(() => filterDecisions(rows, terms), [rows, terms])
}
