import { useEffect, useMemo, useRef } from 'react'
import { useVirtualRows } from '../hooks/use-list-rows'
import { useNow } from '../hooks/use-now'
import { useShownDecisions } from '../hooks/use-shown-decisions'
import { portalLabels, type DecisionRow as Row } from '../lib/decision-rows'
import { useDecisionsStore } from '../store/decisions-store'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { useProfilesStore } from '../store/profiles-store'
import { DecisionRow } from './DecisionRow'
import { ErrorNotice } from './ErrorNotice'
import { listPlaceholder } from './ListStates'

/** A decline with a one-line reason; rows are measured once shown. */
const ESTIMATED_ROW_HEIGHT = 96

/** Virtualised: each portal keeps up to 2,000 decisions, and the merged log adds them up. */
function DecisionList({ rows, merged }: { rows: readonly Row[]; merged: boolean }) {
  const byOp = useOutboxStore((state) => state.byOp)
  const now = useNow()
  const scroller = useRef<HTMLDivElement>(null)

  const profiles = useProfilesStore((state) => state.profiles)
  const removed = useDecisionsStore((state) => state.removed)
  const names = useMemo(() => portalLabels(profiles, removed), [profiles, removed])

  const virtualizer = useVirtualRows(rows, scroller, ESTIMATED_ROW_HEIGHT)

  return (
    <div
      ref={scroller}
      className="request-scroll"
      role="list"
      aria-label="Decisions made from this computer"
      tabIndex={0}
      data-testid="decision-list"
    >
      <div className="request-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((entry) => {
          const row = rows[entry.index]
          if (!row) return null
          return (
            <DecisionRow
              key={entry.key}
              row={row}
              index={entry.index}
              setSize={rows.length}
              start={entry.start}
              now={now}
              profileLabel={merged ? (names.get(row.entry.profileId) ?? 'Removed portal') : null}
              live={byOp.get(row.entry.opId)}
              measure={virtualizer.measureElement}
            />
          )
        })}
      </div>
    </div>
  )
}

/**
 * The local log of approvals and declines made here. The Dashboard keeps nothing for a decline,
 * so this is the only trace of one.
 */
export function DecisionLog() {
  const profileId = useNavStore((state) => state.profileId)
  // The merged log reads every portal's: a portal added or removed changes what it holds.
  const portals = useProfilesStore((state) =>
    profileId === null ? state.profiles.map((profile) => profile.id).join('\n') : ''
  )
  const phase = useDecisionsStore((state) => state.phase)
  const error = useDecisionsStore((state) => state.error)
  const total = useDecisionsStore((state) => state.rows.length)
  const load = useDecisionsStore((state) => state.load)
  const hide = useDecisionsStore((state) => state.hide)
  const shown = useShownDecisions()
  const retry = () => void load(profileId, { refresh: true })

  useEffect(() => {
    void load(profileId)
    return hide
  }, [load, hide, profileId, portals])

  const placeholder = listPlaceholder(phase, error, retry, 'decisions')
  if (placeholder) return placeholder
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={retry} compact />}
      {total === 0 ? (
        <div className="list-state empty">
          <p className="empty-title">No decisions made from this computer yet</p>
          <p className="hint">
            Every approve and decline made in Keygate is recorded here: who decided, when, why, and
            what became of it. The portal keeps no record of a decline.
          </p>
        </div>
      ) : shown.length === 0 ? (
        <div className="list-state empty">
          <p className="empty-title">No decision matches the search</p>
        </div>
      ) : (
        <DecisionList rows={shown} merged={profileId === null} />
      )}
    </>
  )
}
