import type { Sla } from '../lib/format'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, type RefObject } from 'react'
import { useProfilesStore } from '../store/profiles-store'

/** Profile names by id, for labelling rows in the merged lists. */
export function useProfileNames(): Map<string, string> {
  const profiles = useProfilesStore((state) => state.profiles)
  return useMemo(() => new Map(profiles.map((profile) => [profile.id, profile.name])), [profiles])
}

/** Each profile's SLA thresholds, for the age colours. */
export function useProfileSla(): Map<string, Sla> {
  const profiles = useProfilesStore((state) => state.profiles)
  return useMemo(
    () =>
      new Map(
        profiles.map((profile) => [
          profile.id,
          { warnHours: profile.slaWarnHours, breachHours: profile.slaBreachHours }
        ])
      ),
    [profiles]
  )
}

/** The virtualizer every list uses: only the rows in view (plus a few) are rendered. */
export function useVirtualRows(
  rows: readonly { key: string }[],
  scroller: RefObject<HTMLDivElement | null>,
  rowHeight: number
) {
  // This build has no React Compiler, so nothing auto-memoises around the virtualizer.
  // eslint-disable-next-line react-hooks/incompatible-library
  return useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    getItemKey: (index) => rows[index]?.key ?? index,
    useFlushSync: false
  })
}
