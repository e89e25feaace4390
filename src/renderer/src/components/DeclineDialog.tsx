import { useState } from 'react'
import { refKey, type RequestRef } from '../lib/request-rows'
import { useDetailStore } from '../store/detail-store'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { useTriageStore } from '../store/triage-store'
import { Modal, ModalHeader } from './Modal'

/**
 * Confirms a decline (what the portal does with it: its profile's `capabilities.decline`) and takes
 * an optional local reason.
 */
export function DeclineDialog({ target }: { target: RequestRef }) {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const decline = useTriageStore((state) => state.decline)
  const key = refKey(target)
  const busy = useTriageStore((state) => state.busy[key] !== undefined)
  const row = useRequestsStore((state) => state.rows.find((candidate) => candidate.key === key))
  const detail = useDetailStore((state) => (state.key === key ? state.detail : null))
  const request = row?.item ?? detail
  const rejects = useProfilesStore(
    (state) =>
      state.profiles.find((profile) => profile.id === target.profileId)?.capabilities.decline ===
      'rejects'
  )
  const [reason, setReason] = useState('')
  const who = request?.developer.email ?? 'this developer'
  const what = request?.catalogue?.name ?? request?.catalogues[0]?.name

  async function submit() {
    if (await decline(target, reason)) closeDialog()
  }

  return (
    <Modal label="Decline key request" onClose={closeDialog} size="small">
      <ModalHeader title="Decline key request" onClose={closeDialog} />
      <form
        className="modal-body"
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <p>
          Decline the request from <strong>{who}</strong>
          {what ? (
            <>
              {' '}
              for <strong>{what}</strong>
            </>
          ) : null}
          ?{' '}
          {rejects
            ? 'The portal keeps declined requests, marked rejected'
            : 'The portal deletes declined requests'}
          ; Keygate keeps a local record of the decision.
        </p>
        <label className="field">
          <span className="field-label">Reason (optional, kept in Keygate’s decision log)</span>
          <span className="field-hint">Ctrl+Enter declines.</span>
          <textarea
            data-autofocus
            rows={3}
            maxLength={1000}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault()
                void submit()
              }
            }}
          />
        </label>
        <div className="modal-actions">
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" className="button danger-solid" disabled={busy}>
            {busy ? 'Declining…' : 'Decline'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
