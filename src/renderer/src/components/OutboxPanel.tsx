import { useMemo } from 'react'
import type { OutboxItem } from '../../../shared/domain'
import { clockTime } from '../lib/format'
import { actionLabels, isActive, outboxStateLabels, resolutionText } from '../lib/outbox-text'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { profileName, useProfilesStore } from '../store/profiles-store'
import { ErrorNotice } from './ErrorNotice'
import { Modal, ModalHeader } from './Modal'

function OutboxEntry({ item }: { item: OutboxItem }) {
  const profiles = useProfilesStore((state) => state.profiles)
  const busy = useOutboxStore((state) => state.busy.has(item.opId))
  const retry = useOutboxStore((state) => state.retry)
  const cancel = useOutboxStore((state) => state.cancel)
  const who = item.label.developerEmail ?? `request ${item.requestId}`
  const resolution = resolutionText(item)
  const action = actionLabels[item.kind].toLowerCase()
  return (
    <li
      className={`outbox-item state-${item.state}`}
      aria-label={`${actionLabels[item.kind]} ${who}`}
    >
      <div className="outbox-main">
        <div className="outbox-title">
          <strong>{who}</strong>
          {item.label.catalogueName && <span className="muted"> · {item.label.catalogueName}</span>}
        </div>
        <div className="outbox-meta">
          <span className={`kind kind-${item.kind}`}>{actionLabels[item.kind]}</span>
          <span>{profileName(profiles, item.profileId)}</span>
          <span>queued {clockTime(item.createdAt)}</span>
          <span>
            {item.attempts} {item.attempts === 1 ? 'attempt' : 'attempts'}
          </span>
          {item.state === 'queued' && item.nextAttemptAt && (
            <span>next try {clockTime(item.nextAttemptAt)}</span>
          )}
        </div>
        {resolution && <p className="resolution">{resolution}</p>}
        {item.lastError && item.state !== 'done' && (
          <p className="error-text">{item.lastError.message}</p>
        )}
        {item.reason && <p className="muted">Reason: {item.reason}</p>}
      </div>
      <div className="outbox-side">
        <span className={`state-chip state-${item.state}`}>{outboxStateLabels[item.state]}</span>
        <div className="outbox-buttons">
          {(item.state === 'failed' || item.state === 'needs-auth') && (
            <button
              type="button"
              className="button small"
              disabled={busy}
              aria-label={`Retry ${action} for ${who}`}
              onClick={() => void retry(item.opId)}
            >
              Retry
            </button>
          )}
          {item.state === 'queued' && (
            <button
              type="button"
              className="button small"
              disabled={busy}
              aria-label={`Cancel ${action} for ${who}`}
              onClick={() => void cancel(item.opId)}
            >
              Cancel
            </button>
          )}
        </div>
      </div>
    </li>
  )
}

/** Waiting items first, then everything else newest first. */
function ordered(items: readonly OutboxItem[]): OutboxItem[] {
  return items.slice().sort((a, b) => {
    const active = Number(isActive(b.state)) - Number(isActive(a.state))
    return active !== 0 ? active : b.createdAt.localeCompare(a.createdAt)
  })
}

/** Every queued decision with its state, attempts, last error and conflicts in words. */
export function OutboxPanel() {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const items = useOutboxStore((state) => state.items)
  const activeCount = useOutboxStore((state) => state.activeCount)
  const error = useOutboxStore((state) => state.error)
  const load = useOutboxStore((state) => state.load)
  const sorted = useMemo(() => ordered(items), [items])
  const settled = items.length - activeCount
  return (
    <Modal label="Outbox" onClose={closeDialog} variant="drawer" closeOnBackdrop>
      <ModalHeader title="Outbox" onClose={closeDialog} />
      <div className="modal-body">
        <p className="muted">
          {activeCount === 0 ? 'Nothing waiting to be sent.' : `${activeCount} waiting to be sent.`}{' '}
          {settled > 0 && `${settled} settled.`} Every approve and decline is saved here first, then
          sent when its portal can be reached.
        </p>
        {error && <ErrorNotice error={error} onRetry={() => void load()} compact />}
        {sorted.length === 0 ? (
          <p className="list-state empty">The outbox is empty.</p>
        ) : (
          <ul className="outbox-list" aria-label="Outbox items">
            {sorted.map((item) => (
              <OutboxEntry key={item.opId} item={item} />
            ))}
          </ul>
        )}
      </div>
    </Modal>
  )
}
