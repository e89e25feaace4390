import { useState } from 'react'
import { UNDO_SECONDS_MAX } from '../../../shared/ipc'
import { useNavStore } from '../store/nav-store'
import { useSettingsStore } from '../store/settings-store'
import { Modal, ModalHeader } from './Modal'

/** App settings: how long a decision waits before it is sent, so it can be undone. */
export function SettingsDialog() {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const current = useSettingsStore((state) => state.settings)
  const update = useSettingsStore((state) => state.update)
  const [seconds, setSeconds] = useState(String(current?.undoSeconds ?? 5))
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  async function submit() {
    const value = Number(seconds)
    if (!Number.isInteger(value) || value < 0 || value > UNDO_SECONDS_MAX) {
      setError(`Enter a whole number of seconds from 0 to ${UNDO_SECONDS_MAX}.`)
      return
    }
    setSaving(true)
    const problem = await update({ undoSeconds: value })
    setSaving(false)
    if (problem) setError(problem.message)
    else closeDialog()
  }

  return (
    <Modal label="Settings" onClose={closeDialog} size="small">
      <ModalHeader title="Settings" onClose={closeDialog} />
      <form
        className="modal-body"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <label className="field">
          <span className="field-label">Undo window (seconds)</span>
          <span className="field-hint" id="undo-hint">
            {`A decision waits this long before it is sent, so Undo (z) can take it back. 0 sends at once; at most ${UNDO_SECONDS_MAX}.`}
          </span>
          <input
            data-autofocus
            type="number"
            min={0}
            max={UNDO_SECONDS_MAX}
            step={1}
            value={seconds}
            aria-describedby="undo-hint"
            aria-invalid={error !== null}
            onChange={(event) => {
              setSeconds(event.target.value)
              setError(null)
            }}
          />
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </label>
        <div className="modal-actions">
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={saving}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  )
}
