import { useState } from 'react'
import { call } from '../api'
import { refKey } from '../lib/request-rows'
import { itemResult, useBulkStore, type ItemResult } from '../store/bulk-store'
import { useKeysStore } from '../store/keys-store'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { toast } from '../store/toast-store'
import { Modal, ModalHeader } from './Modal'

const resultLabels: Record<ItemResult, string> = {
  waiting: 'Waiting',
  approved: 'Approved',
  declined: 'Declined',
  conflict: 'Conflict',
  failed: 'Failed',
  undone: 'Undone'
}

/** The keys a bulk approve brought back: open one (reveal and copy) or export them all to a file. */
function BatchKeys({ keys }: { keys: ReadonlySet<string> }) {
  const notices = useKeysStore((state) => state.notices)
  const dismissed = useKeysStore((state) => state.dismissed)
  const open = useKeysStore((state) => state.open)
  const closeDialog = useNavStore((state) => state.closeDialog)
  const [exporting, setExporting] = useState(false)
  const ready = notices.filter(
    (notice) =>
      notice.status === 'ready' &&
      !dismissed.has(notice.id) &&
      keys.has(refKey({ profileId: notice.profileId, requestId: notice.requestId }))
  )

  async function exportAs(format: 'csv' | 'json') {
    setExporting(true)
    const result = await call((k) =>
      k['keys:export']({ keyIds: ready.map((notice) => notice.id), format })
    )
    setExporting(false)
    if (!result.ok) toast('error', result.error.message)
    else if (result.value.saved) {
      toast('success', `Saved ${result.value.count} keys to ${result.value.path}.`)
    }
  }

  return (
    <section aria-label="Keys from this batch" className="batch-keys" data-testid="batch-keys">
      <h3 className="section-title">{`Keys from this batch (${ready.length})`}</h3>
      <p className="hint">
        Each key is held in memory only and shown once; unrevealed keys are dropped after 10
        minutes. Export writes them to a file you choose.
      </p>
      <div className="modal-actions">
        <button
          type="button"
          className="button small"
          disabled={exporting || ready.length === 0}
          onClick={() => void exportAs('csv')}
        >
          Export as CSV…
        </button>
        <button
          type="button"
          className="button small"
          disabled={exporting || ready.length === 0}
          onClick={() => void exportAs('json')}
        >
          Export as JSON…
        </button>
      </div>
      <ul className="batch-key-list" tabIndex={0} aria-label="Keys">
        {ready.map((notice) => (
          <li key={notice.id}>
            <span>{notice.developerEmail ?? `Request ${notice.requestId}`}</span>
            <button
              type="button"
              className="button small"
              aria-label={`Show and copy the key for ${notice.developerEmail ?? notice.requestId}`}
              onClick={() => {
                closeDialog()
                open(notice.id)
              }}
            >
              Show and copy
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Per-item results of the last bulk decision, from the outbox, and its keys. */
export function BatchDialog() {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const batch = useBulkStore((state) => state.batch)
  const byOp = useOutboxStore((state) => state.byOp)
  if (!batch) return null
  const title = batch.kind === 'approve' ? 'Bulk approval' : 'Bulk decline'
  return (
    <Modal label={title} onClose={closeDialog} closeOnBackdrop>
      <ModalHeader title={title} onClose={closeDialog} />
      <div className="modal-body">
        {batch.kind === 'approve' && <BatchKeys keys={batch.keys} />}
        <h3 className="section-title">Results</h3>
        <ul className="batch-results" data-testid="batch-results" tabIndex={0} aria-label="Results">
          {batch.refused.map((entry) => (
            <li key={refKey(entry)} data-result="refused">
              <strong>{entry.who}</strong> <span className="state-chip">Refused</span>{' '}
              <span className="muted">{entry.message}</span>
            </li>
          ))}
          {batch.entries.map((entry) => {
            const item = byOp.get(entry.opId)
            const result = itemResult(item)
            const problem =
              result === 'failed' || result === 'conflict' || result === 'waiting'
                ? item?.lastError?.message
                : undefined
            return (
              <li key={entry.opId} data-result={result}>
                <strong>{entry.who}</strong>{' '}
                <span className={`state-chip result-${result}`}>{resultLabels[result]}</span>
                {problem && <span className="muted">{` ${problem}`}</span>}
              </li>
            )
          })}
        </ul>
      </div>
    </Modal>
  )
}
