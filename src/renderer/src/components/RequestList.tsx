import { useCallback, useEffect, useMemo, useRef } from 'react'
import { useProfileNames, useVirtualRows } from '../hooks/use-list-rows'
import { useNow } from '../hooks/use-now'
import { REQUEST_LIST_ID } from '../hooks/use-triage-keys'
import { currentQueued, queuedBadge } from '../lib/outbox-text'
import { marks, mark, measure } from '../lib/perf-marks'
import { refKey, type RequestRef } from '../lib/request-rows'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { useRequestsStore } from '../store/requests-store'
import { useSelectionStore } from '../store/selection-store'
import { useTriageStore } from '../store/triage-store'
import { ROW_HEIGHT, RequestRow } from './RequestRow'

/** The virtualised request list: only the rows in view (plus a few) are in the DOM. */
export function RequestList({ label }: { label: string }) {
  const filtered = useRequestsStore((state) => state.filtered)
  const dataVersion = useRequestsStore((state) => state.dataVersion)
  const selected = useNavStore((state) => state.selected)
  const open = useNavStore((state) => state.open)
  const listFocus = useNavStore((state) => state.listFocus)
  const merged = useNavStore((state) => state.profileId === null)
  const pendingTab = useNavStore((state) => state.tab === 'pending')
  const byOp = useOutboxStore((state) => state.byOp)
  const busy = useTriageStore((state) => state.busy)
  const picked = useSelectionStore((state) => state.keys)
  const now = useNow()
  const scroller = useRef<HTMLDivElement>(null)

  const names = useProfileNames()

  const virtualizer = useVirtualRows(filtered, scroller, ROW_HEIGHT)

  useEffect(() => {
    // After the frame that shows this data: rAF runs before that frame's paint, the task after it.
    const frame = requestAnimationFrame(() => {
      setTimeout(() => {
        mark(marks.listPainted)
        measure(marks.listPaint, marks.listData)
      }, 0)
    })
    return () => cancelAnimationFrame(frame)
  }, [dataVersion])

  const selectedKey = selected ? refKey(selected) : null
  const selectedIndex = useMemo(
    () => (selectedKey === null ? -1 : filtered.findIndex((row) => row.key === selectedKey)),
    [filtered, selectedKey]
  )
  // Follow a new selection (j/k, a notification click whose list may still be loading) once,
  // but never yank the view back on later reloads that merely shift indexes.
  const scrollTarget = useRef<string | null>(null)
  useEffect(() => {
    scrollTarget.current = selectedKey
  }, [selectedKey])
  useEffect(() => {
    if (scrollTarget.current === null || selectedIndex < 0) return
    scrollTarget.current = null
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selectedIndex, selectedKey, virtualizer])

  // After a decision or Back: the list is on screen again by now, so focus can land in it.
  useEffect(() => {
    if (listFocus > 0) scroller.current?.focus({ preventScroll: true })
  }, [listFocus])

  const pick = useCallback(
    (ref: RequestRef, how: 'range' | 'toggle') => {
      const selection = useSelectionStore.getState()
      const key = refKey(ref)
      if (how === 'toggle') selection.toggle(key)
      else selection.extendTo(key, selectedKey ?? undefined)
      useNavStore.getState().select(ref)
    },
    [selectedKey]
  )

  const items = virtualizer.getVirtualItems()
  const activeInView = items.some((entry) => entry.index === selectedIndex)

  return (
    <div
      ref={scroller}
      id={REQUEST_LIST_ID}
      className="request-scroll"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={activeInView ? `request-option-${selectedIndex}` : undefined}
      data-testid="request-list"
    >
      <div className="request-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((entry) => {
          const row = filtered[entry.index]
          if (!row) return null
          const queued = currentQueued(row.item.queued, byOp)
          return (
            <RequestRow
              key={entry.key}
              row={row}
              index={entry.index}
              setSize={filtered.length}
              start={entry.start}
              selected={row.key === selectedKey}
              checked={pendingTab && picked.has(row.key)}
              now={now}
              slaColours={pendingTab}
              profileLabel={merged ? (names.get(row.item.profileId) ?? 'Removed portal') : null}
              queuedBadge={queued ? queuedBadge(queued.kind, queued.state) : null}
              busy={busy[row.key]}
              onSelect={open}
              onPick={pick}
            />
          )
        })}
      </div>
    </div>
  )
}
