import { useLayoutEffect } from 'react'
import { SEARCH_INPUT_ID } from '../hooks/use-triage-keys'
import { marks, mark, measure } from '../lib/perf-marks'
import { useRequestsStore } from '../store/requests-store'

/** What the search matches, by what it searches (the request lists or the decision log). */
const matches = {
  requests:
    'Matches developer email, catalogue entry, policy and custom fields. Narrow with ' +
    'policy:"Free Tier" portal:prod dev:alice catalogue:payments age:>3d (or age:<12h; m h d w).',
  decisions: 'Matches developer email, request ID, reason and who decided'
}

export function SearchBox({ searches }: { searches: keyof typeof matches }) {
  const label = `Search ${searches}`
  const query = useRequestsStore((state) => state.query)
  const setQuery = useRequestsStore((state) => state.setQuery)

  // Layout effects run once the whole commit is in the DOM: keystroke -> filtered list shown.
  useLayoutEffect(() => {
    if (performance.getEntriesByName(marks.searchStart, 'mark').length === 0) return
    measure(marks.search, marks.searchStart)
    performance.clearMarks(marks.searchStart)
  }, [query])

  return (
    <div className="search">
      <svg viewBox="0 0 24 24" aria-hidden="true" className="search-icon">
        <path d="M10 4a6 6 0 0 1 4.8 9.6l5 5-1.4 1.4-5-5A6 6 0 1 1 10 4Zm0 2a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z" />
      </svg>
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        aria-label={label}
        placeholder={label}
        title={matches[searches]}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => {
          mark(marks.searchStart)
          setQuery(event.target.value)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            if (query) setQuery('')
            else event.currentTarget.blur()
          } else if (event.key === 'Enter') {
            event.currentTarget.blur()
          }
        }}
      />
      <kbd className="search-kbd" aria-hidden="true">
        /
      </kbd>
    </div>
  )
}
