import { useNavStore } from '../store/nav-store'
import { useRequestsStore } from '../store/requests-store'
import { selectedRows, useSelectionStore } from '../store/selection-store'

/** Shown while requests are picked: how many, select all matching, Approve N, Decline N. */
export function BulkBar() {
  const keys = useSelectionStore((state) => state.keys)
  const selectAll = useSelectionStore((state) => state.selectAll)
  const clear = useSelectionStore((state) => state.clear)
  const filtered = useRequestsStore((state) => state.filtered)
  const openDialog = useNavStore((state) => state.openDialog)
  const count = selectedRows(keys, filtered).length
  if (count === 0) return null
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk decision" data-testid="bulk-bar">
      <span className="bulk-count" aria-live="polite">
        {`${count} selected`}
      </span>
      {count < filtered.length && (
        <button type="button" className="button small" onClick={selectAll}>
          {`Select all ${filtered.length} matching`}
        </button>
      )}
      <button type="button" className="button small" onClick={clear}>
        Clear
      </button>
      <span className="bulk-actions">
        <button
          type="button"
          className="button primary small"
          onClick={() => openDialog({ kind: 'bulk-confirm', decision: 'approve' })}
        >
          {`Approve ${count}`}
        </button>
        <button
          type="button"
          className="button danger small"
          onClick={() => openDialog({ kind: 'bulk-confirm', decision: 'decline' })}
        >
          {`Decline ${count}`}
        </button>
      </span>
    </div>
  )
}
