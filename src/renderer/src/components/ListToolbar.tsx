import { useShownDecisions } from '../hooks/use-shown-decisions'
import { isSortKey, sortLabels } from '../lib/request-order'
import { isEmptyQuery } from '../lib/request-query'
import { useDecisionsStore } from '../store/decisions-store'
import { useNavStore, type ListTab } from '../store/nav-store'
import { useRequestsStore } from '../store/requests-store'
import { DecisionFilters } from './DecisionFilters'
import { FilterMenus } from './FilterMenus'
import { SearchBox } from './SearchBox'

const tabs: { tab: ListTab; label: string }[] = [
  { tab: 'pending', label: 'Pending' },
  { tab: 'approved', label: 'Approved history' },
  { tab: 'decisions', label: 'Decisions' }
]

export const LIST_PANEL_ID = 'request-panel'

function countText(shown: number, total: number, filtering: boolean, noun: string): string {
  if (filtering) return `${shown.toLocaleString()} of ${total.toLocaleString()}`
  return `${total.toLocaleString()} ${noun}${total === 1 ? '' : 's'}`
}

export function ListToolbar({ title }: { title: string }) {
  const tab = useNavStore((state) => state.tab)
  const setTab = useNavStore((state) => state.setTab)
  const profileId = useNavStore((state) => state.profileId)
  const requests = {
    total: useRequestsStore((state) => state.rows.length),
    shown: useRequestsStore((state) => state.filtered.length),
    ready: useRequestsStore((state) => state.phase === 'ready'),
    refreshing: useRequestsStore((state) => state.refreshing)
  }
  const loadRequests = useRequestsStore((state) => state.load)
  const filtering = useRequestsStore((state) => !isEmptyQuery(state.parsed))
  const sort = useRequestsStore((state) => state.sort)
  const setSort = useRequestsStore((state) => state.setSort)
  const decisions = {
    total: useDecisionsStore((state) => state.rows.length),
    shown: useShownDecisions().length,
    ready: useDecisionsStore((state) => state.phase === 'ready'),
    refreshing: useDecisionsStore((state) => state.refreshing)
  }
  const loadDecisions = useDecisionsStore((state) => state.load)

  const onDecisions = tab === 'decisions'
  const list = onDecisions ? decisions : requests
  const refresh = () =>
    onDecisions
      ? void loadDecisions(profileId, { refresh: true })
      : void loadRequests({ profileId, status: tab }, { refresh: true })

  return (
    <div className="list-toolbar">
      <div className="list-title">
        <h1>{title}</h1>
        {list.ready && (
          <span className="list-count">
            {countText(list.shown, list.total, filtering, onDecisions ? 'decision' : 'request')}
          </span>
        )}
      </div>
      <div className="list-controls">
        <div className="tabs" role="tablist" aria-label="Lists">
          {tabs.map((entry) => (
            <button
              key={entry.tab}
              type="button"
              role="tab"
              id={`tab-${entry.tab}`}
              aria-selected={tab === entry.tab}
              aria-controls={LIST_PANEL_ID}
              className={tab === entry.tab ? 'tab active' : 'tab'}
              onClick={() => setTab(entry.tab)}
            >
              {entry.label}
            </button>
          ))}
        </div>
        <SearchBox searches={onDecisions ? 'decisions' : 'requests'} />
        {!onDecisions && (
          <select
            className="sort-select"
            aria-label="Sort requests"
            value={sort}
            onChange={(event) => {
              if (isSortKey(event.target.value)) setSort(event.target.value)
            }}
          >
            {Object.entries(sortLabels).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="button" disabled={list.refreshing} onClick={refresh}>
          {list.refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {onDecisions ? <DecisionFilters /> : <FilterMenus />}
    </div>
  )
}
