import { useEffect } from 'react'
import type { RequestStatus } from '../../../shared/domain'
import { useTriageKeys } from '../hooks/use-triage-keys'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { useSelectionStore } from '../store/selection-store'
import { BatchStatus } from './BatchStatus'
import { BulkBar } from './BulkBar'
import { DecisionLog } from './DecisionLog'
import { DetailPane } from './DetailPane'
import { ErrorNotice } from './ErrorNotice'
import { listPlaceholder } from './ListStates'
import { LIST_PANEL_ID, ListToolbar } from './ListToolbar'
import { RequestList } from './RequestList'
import { StaleBanners } from './StaleBanners'

function ListBody({ status, label }: { status: RequestStatus; label: string }) {
  const phase = useRequestsStore((state) => state.phase)
  const error = useRequestsStore((state) => state.error)
  const total = useRequestsStore((state) => state.rows.length)
  const shown = useRequestsStore((state) => state.filtered.length)
  const profileId = useNavStore((state) => state.profileId)
  const load = useRequestsStore((state) => state.load)
  const retry = () => void load({ profileId, status }, { refresh: true })

  const placeholder = listPlaceholder(phase, error, retry, 'key requests')
  if (placeholder) return placeholder
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={retry} compact />}
      {total === 0 ? (
        <div className="list-state empty">
          <p className="empty-title">
            {status === 'pending' ? 'No pending key requests' : 'No approved key requests yet'}
          </p>
          <p className="hint">
            {status === 'pending'
              ? 'New requests show up here when the portal is next polled.'
              : 'Requests approved on this portal are listed here.'}
          </p>
        </div>
      ) : shown === 0 ? (
        <div className="list-state empty">
          <p className="empty-title">No request matches the search</p>
        </div>
      ) : (
        <RequestList label={label} />
      )}
    </>
  )
}

/**
 * The inbox: toolbar, banners, the list and the selected request side by side (narrow, the
 * request over the list, the toolbar still above it); on the Decisions
 * tab, the decision log across the whole width (its rows are not requests to open).
 */
export function InboxView() {
  const profileId = useNavStore((state) => state.profileId)
  const tab = useNavStore((state) => state.tab)
  const profiles = useProfilesStore((state) => state.profiles)
  const load = useRequestsStore((state) => state.load)
  const sources = useRequestsStore((state) => state.sources)
  const detailOpen = useNavStore((state) => state.detailOpen && state.selected !== null)
  useTriageKeys()

  useEffect(() => {
    if (tab !== 'decisions') void load({ profileId, status: tab })
    // A selection belongs to the list it was made in.
    useSelectionStore.getState().clear()
  }, [load, profileId, tab])

  const title =
    profileId === null
      ? 'All portals'
      : (profiles.find((profile) => profile.id === profileId)?.name ?? 'Portal')

  return (
    <main
      className={
        tab === 'decisions' ? 'inbox log-only' : detailOpen ? 'inbox detail-open' : 'inbox'
      }
    >
      <section
        className="list-pane"
        aria-label={tab === 'decisions' ? 'Decisions' : 'Key requests'}
      >
        <ListToolbar title={title} />
        {tab === 'pending' && <BatchStatus />}
        {tab === 'pending' && <BulkBar />}
        {tab !== 'decisions' && (
          <StaleBanners
            sources={sources}
            named={profileId === null}
            onRetry={() => void load({ profileId, status: tab }, { refresh: true })}
          />
        )}
        <div
          className="list-body"
          id={LIST_PANEL_ID}
          role="tabpanel"
          aria-labelledby={`tab-${tab}`}
        >
          {tab === 'decisions' ? (
            <DecisionLog />
          ) : (
            <ListBody
              status={tab}
              label={`${tab === 'pending' ? 'Pending' : 'Approved'} key requests`}
            />
          )}
        </div>
      </section>
      {tab !== 'decisions' && <DetailPane />}
    </main>
  )
}
