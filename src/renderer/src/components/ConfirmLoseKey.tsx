import { Modal, ModalHeader } from './Modal'

interface ConfirmLoseKeyProps {
  onKeep(): void
  onLose(): void
}

/** Asked before the key dialog closes on a key never copied; the safe answer has focus. */
export function ConfirmLoseKey({ onKeep, onLose }: ConfirmLoseKeyProps) {
  return (
    <Modal label="Close without copying?" size="small" onClose={onKeep}>
      <ModalHeader title="Close without copying?" onClose={onKeep} />
      <div className="modal-body">
        <p>You have not copied this key. Close and lose it?</p>
        <div className="modal-actions">
          <button type="button" className="button" data-autofocus onClick={onKeep}>
            Keep it open
          </button>
          <button type="button" className="button danger" onClick={onLose}>
            Close and lose it
          </button>
        </div>
      </div>
    </Modal>
  )
}
