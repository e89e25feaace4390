import { batchProgress, useBulkStore } from '../store/bulk-store'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'

/** The last bulk decision's progress ("212 of 326 sent") above the list, with its results. */
export function BatchStatus() {
  const batch = useBulkStore((state) => state.batch)
  const dismiss = useBulkStore((state) => state.dismiss)
  const byOp = useOutboxStore((state) => state.byOp)
  const openDialog = useNavStore((state) => state.openDialog)
  if (!batch) return null
  const { settled, total, counts } = batchProgress(batch, byOp)
  const parts = [
    counts.approved > 0 && `${counts.approved} approved`,
    counts.declined > 0 && `${counts.declined} declined`,
    counts.conflict > 0 && `${counts.conflict} conflicts`,
    counts.failed > 0 && `${counts.failed} failed`,
    counts.undone > 0 && `${counts.undone} undone`,
    batch.refused.length > 0 && `${batch.refused.length} refused`
  ].filter((part): part is string => typeof part === 'string')
  return (
    <div className="batch-status" role="status" data-testid="batch-status">
      <span className="batch-progress">{`${settled} of ${total} sent`}</span>
      <progress max={total} value={settled} aria-label="Batch progress" />
      {parts.length > 0 && <span className="muted">{parts.join(' · ')}</span>}
      <button
        type="button"
        className="button small"
        onClick={() => openDialog({ kind: 'batch-results' })}
      >
        {batch.kind === 'approve' ? 'Results and keys' : 'Results'}
      </button>
      {settled === total && (
        <button type="button" className="button small" onClick={dismiss}>
          Dismiss
        </button>
      )}
    </div>
  )
}
