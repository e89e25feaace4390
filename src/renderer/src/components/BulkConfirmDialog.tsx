import { useMemo, useState } from 'react'
import type { ActionKind } from '../../../shared/domain'
import { summarise } from '../lib/bulk-summary'
import { useBulkStore } from '../store/bulk-store'
import { useNavStore } from '../store/nav-store'
import { profileName, useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { selectedRows, useSelectionStore } from '../store/selection-store'
import { useSettingsStore } from '../store/settings-store'
import { Modal, ModalHeader } from './Modal'

const SHOWN_FLAGGED = 20

/** Confirms a bulk decision: what it touches by portal and policy, and which requests are flagged. */
export function BulkConfirmDialog({ decision }: { decision: ActionKind }) {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const keys = useSelectionStore((state) => state.keys)
  const filtered = useRequestsStore((state) => state.filtered)
  const profiles = useProfilesStore((state) => state.profiles)
  const undoSeconds = useSettingsStore((state) => state.settings?.undoSeconds ?? 0)
  const sending = useBulkStore((state) => state.sending)
  const decide = useBulkStore((state) => state.decide)
  const [reason, setReason] = useState('')
  const rows = useMemo(() => selectedRows(keys, filtered), [keys, filtered])
  const summary = useMemo(
    () => summarise(rows, (id) => profileName(profiles, id)),
    [rows, profiles]
  )
  const verb = decision === 'approve' ? 'Approve' : 'Decline'
  const title = `${verb} ${rows.length} key ${rows.length === 1 ? 'request' : 'requests'}`

  async function submit() {
    // Focus goes back to the list, on the first request after the batch that was not in it.
    const picked = new Set(rows.map((row) => row.key))
    const last = filtered.findLastIndex((row) => picked.has(row.key))
    const next =
      filtered.slice(last + 1).find((row) => !picked.has(row.key)) ??
      filtered.find((row) => !picked.has(row.key))
    if (!(await decide(rows, decision, reason))) return
    closeDialog()
    useNavStore
      .getState()
      .advance(next ? { profileId: next.item.profileId, requestId: next.item.id } : null)
  }

  return (
    <Modal label={title} onClose={closeDialog}>
      <ModalHeader title={title} onClose={closeDialog} />
      <form
        className="modal-body bulk-confirm"
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <p>
          {decision === 'approve'
            ? 'Each portal issues a key for every request; the keys are collected in “Keys from this batch”.'
            : 'Each portal deletes every declined request; Keygate keeps a local record of the decision.'}{' '}
          {undoSeconds > 0
            ? `Nothing is sent for ${undoSeconds} s: Undo (z) takes the whole batch back.`
            : 'They are sent at once (no undo window in Settings).'}
        </p>
        <div className="bulk-summary">
          <section aria-label="By portal">
            <h3 className="section-title">By portal</h3>
            <ul data-testid="bulk-by-portal">
              {summary.byPortal.map(([name, count]) => (
                <li key={name}>{`${name}: ${count}`}</li>
              ))}
            </ul>
          </section>
          <section aria-label="By policy">
            <h3 className="section-title">By policy</h3>
            <ul data-testid="bulk-by-policy">
              {summary.byPolicy.slice(0, 10).map(([name, count]) => (
                <li key={name}>{`${name}: ${count}`}</li>
              ))}
              {summary.byPolicy.length > 10 && <li>{`${summary.byPolicy.length - 10} more`}</li>}
            </ul>
          </section>
        </div>
        {summary.flagged.length > 0 && (
          <section aria-label="Flagged requests" className="bulk-flagged">
            <h3 className="section-title">{`Flagged (${summary.flagged.length})`}</h3>
            <ul data-testid="bulk-flagged">
              {summary.flagged.slice(0, SHOWN_FLAGGED).map((entry) => (
                <li key={entry.key}>
                  <strong>{entry.who}</strong>: {entry.flags.map((flag) => flag.text).join('; ')}
                </li>
              ))}
              {summary.flagged.length > SHOWN_FLAGGED && (
                <li>{`${summary.flagged.length - SHOWN_FLAGGED} more flagged`}</li>
              )}
            </ul>
          </section>
        )}
        {decision === 'decline' && (
          <label className="field">
            <span className="field-label">
              Reason for all of them (optional, kept in Keygate’s decision log)
            </span>
            <textarea
              rows={2}
              maxLength={1000}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            data-autofocus
            className={decision === 'approve' ? 'button primary' : 'button danger-solid'}
            disabled={sending || rows.length === 0}
          >
            {sending ? 'Queuing…' : `${verb} ${rows.length}`}
          </button>
        </div>
      </form>
    </Modal>
  )
}
