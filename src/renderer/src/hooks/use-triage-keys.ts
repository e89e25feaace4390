import { useEffect } from 'react'
import { isActive, currentQueued } from '../lib/outbox-text'
import { useKeysStore } from '../store/keys-store'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { useRequestsStore } from '../store/requests-store'
import { selectedRows, useSelectionStore } from '../store/selection-store'
import { useTriageStore } from '../store/triage-store'
import { useUndoStore } from '../store/undo-store'
import { refKey } from '../lib/request-rows'
import { modShortcutFor, shortcutFor, type ShortcutAction } from '../lib/shortcuts'

export const SEARCH_INPUT_ID = 'request-search'
export const REQUEST_LIST_ID = 'request-list'

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
}

/** Moves the selection by `delta` rows in the visible (filtered) list. */
export function moveSelection(delta: number): void {
  const nav = useNavStore.getState()
  // The requests store keeps the last request list behind the decision log, off screen.
  if (nav.tab === 'decisions') return
  const rows = useRequestsStore.getState().filtered
  if (rows.length === 0) return
  const current = nav.selected ? refKey(nav.selected) : null
  const index = current === null ? -1 : rows.findIndex((row) => row.key === current)
  const target = index < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, index + delta))
  const row = rows[target]
  if (row) nav.select({ profileId: row.item.profileId, requestId: row.item.id })
}

/** The selected row, when it can still be approved or declined (pending, nothing in flight). */
function actionableSelection() {
  const nav = useNavStore.getState()
  if (!nav.selected || nav.tab !== 'pending') return null
  const key = refKey(nav.selected)
  const row = useRequestsStore.getState().rows.find((candidate) => candidate.key === key)
  if (!row || row.item.approved) return null
  const queued = currentQueued(row.item.queued, useOutboxStore.getState().byOp)
  if (queued && isActive(queued.state)) return null
  if (useTriageStore.getState().busy[key]) return null
  return nav.selected
}

function focusInList(target: EventTarget | null): boolean {
  if (target === document.body) return true
  return target instanceof Element && target.closest(`#${REQUEST_LIST_ID}`) !== null
}

/** Rows picked for a bulk decision that are still in the pending list on screen. */
function pickedRows() {
  if (useNavStore.getState().tab !== 'pending') return []
  return selectedRows(useSelectionStore.getState().keys, useRequestsStore.getState().filtered)
}

/** Moves the current request by one and extends the picked range to it (Shift+J/K). */
function extend(delta: number): void {
  const from = useNavStore.getState().selected
  if (from && useSelectionStore.getState().anchor === null) {
    useSelectionStore.getState().toggle(refKey(from))
  }
  moveSelection(delta)
  const to = useNavStore.getState().selected
  if (to) useSelectionStore.getState().extendTo(refKey(to), from ? refKey(from) : undefined)
}

/** Runs one shortcut; false when it does not apply here, so the key keeps its default. */
function run(action: ShortcutAction): boolean {
  const nav = useNavStore.getState()
  const selection = useSelectionStore.getState()
  const pending = nav.tab === 'pending'
  switch (action) {
    case 'next':
    case 'previous':
      moveSelection(action === 'next' ? 1 : -1)
      return true
    case 'open':
      if (!nav.selected) return false
      nav.open(nav.selected)
      return true
    case 'back':
      if (selection.keys.size > 0) {
        selection.clear()
        return true
      }
      if (!nav.detailOpen) return false
      nav.closeDetail()
      return true
    case 'search':
      document.getElementById(SEARCH_INPUT_ID)?.focus()
      return true
    case 'pick':
      if (!pending || !nav.selected) return false
      selection.toggle(refKey(nav.selected))
      return true
    case 'extend-next':
    case 'extend-previous':
      if (!pending) return false
      extend(action === 'extend-next' ? 1 : -1)
      return true
    case 'pick-all':
      if (!pending) return false
      selection.selectAll()
      return true
    case 'undo':
      if (!useUndoStore.getState().offer) return false
      void useUndoStore.getState().undo()
      return true
    case 'approve': {
      if (pickedRows().length > 0) {
        nav.openDialog({ kind: 'bulk-confirm', decision: 'approve' })
        return true
      }
      const ref = actionableSelection()
      if (ref) void useTriageStore.getState().approve(ref)
      return true
    }
    case 'decline': {
      if (pickedRows().length > 0) {
        nav.openDialog({ kind: 'bulk-confirm', decision: 'decline' })
        return true
      }
      const ref = actionableSelection()
      if (ref) nav.openDialog({ kind: 'decline', ref })
      return true
    }
    case 'help':
      nav.openDialog({ kind: 'shortcuts' })
      return true
  }
}

/**
 * The shortcuts of lib/shortcuts.ts (Ctrl/Cmd+A and +Z among them), from any pane; ignored while
 * typing or in a dialog. Arrows
 * and Enter act only in the list, where they do not take a button's or a pane's own keys.
 */
export function useTriageKeys(): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey) return
      if (isTypingTarget(event.target)) return
      if (useNavStore.getState().dialog || useKeysStore.getState().openKeyId) return
      const action =
        event.ctrlKey || event.metaKey
          ? modShortcutFor(event.key)
          : shortcutFor(event.key, focusInList(event.target))
      if (action && run(action)) event.preventDefault()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
