import { create } from 'zustand'
import type { KeyRequest, ListSource, RequestStatus } from '../../../shared/domain'
import { Coalescer } from '../../../shared/coalescer'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { marks, mark } from '../lib/perf-marks'
import {
  buildRow,
  buildRows,
  filterRows,
  indexWhenIdle,
  narrows,
  searchTerms,
  type RequestRow
} from '../lib/request-rows'

export interface ListScope {
  profileId: string | null
  status: RequestStatus
}

type Phase = 'idle' | 'loading' | 'ready' | 'error'

interface RequestsState {
  scope: ListScope | null
  phase: Phase
  rows: RequestRow[]
  /** `rows` narrowed by `query`; what the list renders and j/k walk. */
  filtered: RequestRow[]
  query: string
  terms: string[]
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
  /** Replaces one request in place (an action outcome), or removes it with null. */
  patch(key: string, item: KeyRequest | null): void
}

const sameScope = (a: ListScope | null, b: ListScope): boolean =>
  a !== null && a.profileId === b.profileId && a.status === b.status

// A flush can push many changes in a row: one load at a time, one more after it at most.
const loads = new Coalescer()
let cancelIndexing: () => void = () => {}

/** The request list on screen: loads, coalesces push-driven reloads, filters in memory. */
export const useRequestsStore = create<RequestsState>()((set, get) => ({
  scope: null,
  phase: 'idle',
  rows: [],
  filtered: [],
  query: '',
  terms: [],
  sources: [],
  error: null,
  refreshing: false,
  dataVersion: 0,

  load(scope, options = {}) {
    return loads.run(async (isLatest) => {
      if (!sameScope(get().scope, scope)) {
        set({ scope, phase: 'loading', rows: [], filtered: [], sources: [], error: null })
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
        set({
          phase: 'ready',
          rows,
          filtered: filterRows(rows, get().terms),
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
    const { terms: previous, filtered, rows } = get()
    const terms = searchTerms(query)
    const base = narrows(previous, terms) ? filtered : rows
    set({ query, terms, filtered: filterRows(base, terms) })
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
    set({ rows: replace(get().rows), filtered: replace(get().filtered) })
  }
}))
