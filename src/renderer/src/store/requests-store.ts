import { create } from 'zustand'
import type { KeyRequest, ListSource, RequestStatus } from '../../../shared/domain'
import { Coalescer } from '../../../shared/coalescer'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { marks, mark } from '../lib/perf-marks'
import { sortRows, type SortKey } from '../lib/request-order'
import {
  applyQuery,
  filtersKey,
  parseQuery,
  type QueryContext,
  type RequestQuery
} from '../lib/request-query'
import { buildRow, buildRows, indexWhenIdle, narrows, type RequestRow } from '../lib/request-rows'
import { loadCurrentView, saveCurrentView, type ListView } from '../lib/view-storage'
import { profileName, useProfilesStore } from './profiles-store'

export interface ListScope {
  profileId: string | null
  status: RequestStatus
}

type Phase = 'idle' | 'loading' | 'ready' | 'error'

interface RequestsState {
  scope: ListScope | null
  phase: Phase
  rows: RequestRow[]
  /** `rows` in `sort` order. */
  sorted: RequestRow[]
  /** `sorted` narrowed by `query`; what the list renders and j/k walk. */
  filtered: RequestRow[]
  query: string
  parsed: RequestQuery
  /** The query's free text, which the decision log's search shares. */
  terms: string[]
  sort: SortKey
  sources: ListSource[]
  /** The last load failed; with rows present they are the previous data. */
  error: AppError | null
  refreshing: boolean
  /** Bumped whenever new list data lands, for the paint mark. */
  dataVersion: number
  load(scope: ListScope, options?: { refresh?: boolean }): Promise<void>
  /** A `requests:changed` push: reload when it touches what is on screen. */
  reloadIfAffected(profileIds: readonly string[]): void
  setQuery(query: string): void
  setSort(sort: SortKey): void
  /** Shows a saved view: its query and sort at once. */
  setView(view: ListView): void
  /** Replaces one request in place (an action outcome), or removes it with null. */
  patch(key: string, item: KeyRequest | null): void
}

const sameScope = (a: ListScope | null, b: ListScope): boolean =>
  a !== null && a.profileId === b.profileId && a.status === b.status

function queryContext(): QueryContext {
  const profiles = useProfilesStore.getState().profiles
  return { now: Date.now(), portalName: (id) => profileName(profiles, id) }
}

function portalName(id: string): string {
  return profileName(useProfilesStore.getState().profiles, id)
}

const initialView = loadCurrentView()
const initialQuery = parseQuery(initialView.query)

// A flush can push many changes in a row: one load at a time, one more after it at most.
const loads = new Coalescer()
let cancelIndexing: () => void = () => {}

/** The request list on screen: loads, coalesces push-driven reloads, filters in memory. */
export const useRequestsStore = create<RequestsState>()((set, get) => ({
  scope: null,
  phase: 'idle',
  rows: [],
  sorted: [],
  filtered: [],
  query: initialView.query,
  parsed: initialQuery,
  terms: initialQuery.terms,
  sort: initialView.sort,
  sources: [],
  error: null,
  refreshing: false,
  dataVersion: 0,

  load(scope, options = {}) {
    return loads.run(async (isLatest) => {
      if (!sameScope(get().scope, scope)) {
        set({
          scope,
          phase: 'loading',
          rows: [],
          sorted: [],
          filtered: [],
          sources: [],
          error: null
        })
      }
      if (options.refresh) set({ refreshing: true })
      const result = await call((k) =>
        k['requests:list']({
          status: scope.status,
          ...(scope.profileId ? { profileId: scope.profileId } : {}),
          ...(options.refresh ? { refresh: true } : {})
        })
      )
      if (!isLatest()) return
      if (result.ok) {
        mark(marks.listData)
        const rows = buildRows(result.value.items)
        cancelIndexing()
        cancelIndexing = indexWhenIdle(rows)
        const sorted = sortRows(rows, get().sort, portalName)
        set({
          phase: 'ready',
          rows,
          sorted,
          filtered: applyQuery(sorted, get().parsed, queryContext()),
          sources: result.value.sources,
          error: null,
          refreshing: false,
          dataVersion: get().dataVersion + 1
        })
      } else {
        set({
          phase: get().rows.length > 0 ? 'ready' : 'error',
          error: result.error,
          refreshing: false
        })
      }
    })
  },

  reloadIfAffected(profileIds) {
    const scope = get().scope
    if (!scope) return
    if (scope.profileId !== null && !profileIds.includes(scope.profileId)) return
    loads.request(() => {
      const current = get().scope
      if (current) void get().load(current)
    })
  },

  setQuery(query) {
    const { parsed: previous, filtered, sorted, sort } = get()
    const parsed = parseQuery(query)
    // Typing more free text under the same filters narrows the previous result.
    const narrower =
      filtersKey(previous) === filtersKey(parsed) && narrows(previous.terms, parsed.terms)
    const base = narrower ? filtered : sorted
    set({ query, parsed, terms: parsed.terms, filtered: applyQuery(base, parsed, queryContext()) })
    saveCurrentView({ query, sort })
  },

  setSort(sort) {
    get().setView({ query: get().query, sort })
  },

  setView({ query, sort }) {
    const parsed = parseQuery(query)
    const sorted = sort === get().sort ? get().sorted : sortRows(get().rows, sort, portalName)
    set({
      query,
      parsed,
      terms: parsed.terms,
      sort,
      sorted,
      filtered: applyQuery(sorted, parsed, queryContext())
    })
    saveCurrentView({ query, sort })
  },

  patch(key, item) {
    const replace = (list: RequestRow[]): RequestRow[] => {
      const index = list.findIndex((row) => row.key === key)
      if (index < 0) return list
      const next = list.slice()
      if (item) next[index] = buildRow(item)
      else next.splice(index, 1)
      return next
    }
    set({
      rows: replace(get().rows),
      sorted: replace(get().sorted),
      filtered: replace(get().filtered)
    })
  }
}))
