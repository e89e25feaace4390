import type { RequestStatus } from '../../../shared/domain'
import { useNavStore } from '../store/nav-store'
import { useRequestsStore } from '../store/requests-store'
import { SearchBox } from './SearchBox'

const tabs: { status: RequestStatus; label: string }[] = [
  { status: 'pending', label: 'Pending' },
  { status: 'approved', label: 'Approved history' }
]

export const LIST_PANEL_ID = 'request-panel'

export function ListToolbar({ title }: { title: string }) {
  const tab = useNavStore((state) => state.tab)
  const setTab = useNavStore((state) => state.setTab)
  const profileId = useNavStore((state) => state.profileId)
  const total = useRequestsStore((state) => state.rows.length)
  const shown = useRequestsStore((state) => state.filtered.length)
  const phase = useRequestsStore((state) => state.phase)
  const refreshing = useRequestsStore((state) => state.refreshing)
  const load = useRequestsStore((state) => state.load)
  const filtering = useRequestsStore((state) => state.terms.length > 0)

  return (
    <div className="list-toolbar">
      <div className="list-title">
        <h1>{title}</h1>
        {phase === 'ready' && (
          <span className="list-count">
            {filtering
              ? `${shown.toLocaleString()} of ${total.toLocaleString()}`
              : `${total.toLocaleString()} ${total === 1 ? 'request' : 'requests'}`}
          </span>
        )}
      </div>
      <div className="list-controls">
        <div className="tabs" role="tablist" aria-label="Request status">
          {tabs.map((entry) => (
            <button
              key={entry.status}
              type="button"
              role="tab"
              id={`tab-${entry.status}`}
              aria-selected={tab === entry.status}
              aria-controls={LIST_PANEL_ID}
              className={tab === entry.status ? 'tab active' : 'tab'}
              onClick={() => setTab(entry.status)}
            >
              {entry.label}
            </button>
          ))}
        </div>
        <SearchBox />
        <button
          type="button"
          className="button"
          disabled={refreshing}
          onClick={() => void load({ profileId, status: tab }, { refresh: true })}
        >
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
    </div>
  )
}
