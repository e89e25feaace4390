import { useMemo, useState } from 'react'
import { useNow } from '../hooks/use-now'
import { sortLabels } from '../lib/request-order'
import { applyQuery, parseQuery } from '../lib/request-query'
import type { SavedView } from '../lib/view-storage'
import { profileName, useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { useViewsStore } from '../store/views-store'
import { NavCount, NavEntryAction } from './NavEntryParts'

/** How many requests of the list on screen each view matches; null until the list is loaded. */
function useViewCounts(views: readonly SavedView[]): (number | null)[] {
  const rows = useRequestsStore((state) => state.rows)
  const ready = useRequestsStore((state) => state.phase === 'ready')
  const profiles = useProfilesStore((state) => state.profiles)
  const now = useNow()
  return useMemo(() => {
    if (!ready) return views.map(() => null)
    const context = { now, portalName: (id: string) => profileName(profiles, id) }
    return views.map((view) => applyQuery(rows, parseQuery(view.query), context).length)
  }, [rows, ready, profiles, views, now])
}

function SaveViewForm() {
  const saveCurrent = useViewsStore((state) => state.saveCurrent)
  const [name, setName] = useState<string | null>(null)
  if (name === null) {
    return (
      <button type="button" className="button ghost add-portal" onClick={() => setName('')}>
        + Save this view
      </button>
    )
  }
  return (
    <form
      className="save-view"
      onSubmit={(event) => {
        event.preventDefault()
        saveCurrent(name)
        setName(null)
      }}
    >
      <input
        autoFocus
        aria-label="View name"
        placeholder="View name"
        value={name}
        maxLength={60}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setName(null)
        }}
      />
      <button type="submit" className="button small" disabled={!name.trim()}>
        Save
      </button>
    </form>
  )
}

/** Saved views: a query and a sort by name, with how many of the list on screen match. */
export function SavedViews() {
  const views = useViewsStore((state) => state.views)
  const remove = useViewsStore((state) => state.remove)
  const query = useRequestsStore((state) => state.query)
  const sort = useRequestsStore((state) => state.sort)
  const setView = useRequestsStore((state) => state.setView)
  const counts = useViewCounts(views)
  return (
    <>
      <h2 className="nav-heading">Views</h2>
      {views.length > 0 && (
        <ul className="nav-list" aria-label="Saved views">
          {views.map((view, index) => {
            const current = view.query === query && view.sort === sort
            const count = counts[index] ?? null
            return (
              <li key={view.name} className={current ? 'nav-entry current' : 'nav-entry'}>
                <button
                  type="button"
                  className="nav-button"
                  aria-label={`View ${view.name}, ${count === null ? 'count unknown' : `${count} matching`}`}
                  aria-current={current ? 'true' : undefined}
                  title={`${view.query || 'Everything'} · ${sortLabels[view.sort]}`}
                  onClick={() => setView(view)}
                >
                  <span className="nav-name">{view.name}</span>
                  <NavCount count={count} testId="view-count" />
                </button>
                <NavEntryAction
                  label={`Remove view ${view.name}`}
                  title="Remove view"
                  onClick={() => remove(view.name)}
                >
                  ×
                </NavEntryAction>
              </li>
            )
          })}
        </ul>
      )}
      <SaveViewForm />
    </>
  )
}
