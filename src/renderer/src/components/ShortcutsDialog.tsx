import { Fragment } from 'react'
import { keyLabel, shortcuts } from '../lib/shortcuts'
import { useNavStore } from '../store/nav-store'
import { Modal, ModalHeader } from './Modal'

/** Every keyboard shortcut, from the table the key handler uses (`?`). */
export function ShortcutsDialog() {
  const closeDialog = useNavStore((state) => state.closeDialog)
  return (
    <Modal label="Keyboard shortcuts" onClose={closeDialog} size="small" closeOnBackdrop>
      <ModalHeader title="Keyboard shortcuts" onClose={closeDialog} />
      {/* Focusable: the list of shortcuts scrolls in a short window, and keys must reach it. */}
      <div className="modal-body" tabIndex={0}>
        <table className="shortcut-table">
          <tbody>
            {shortcuts.map((shortcut) => (
              <tr key={shortcut.action} data-testid="shortcut">
                <th scope="row">
                  {[
                    ...shortcut.keys.map(keyLabel),
                    ...shortcut.listKeys.map(keyLabel),
                    ...(shortcut.modKeys ?? []).map((key) => `Ctrl/Cmd+${key.toUpperCase()}`)
                  ].map((label, index) => (
                    <Fragment key={label}>
                      {index > 0 && ' or '}
                      <kbd>{label}</kbd>
                    </Fragment>
                  ))}
                </th>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">
          Shortcuts work from any pane, not while typing in a field. Arrows and Enter act in the
          request list. On a portal in the sidebar, <kbd>Alt</kbd>+<kbd>↑</kbd> or <kbd>Alt</kbd>+
          <kbd>↓</kbd> moves it; portals can also be dragged.
        </p>
        <h3 className="section-title">Search</h3>
        <p className="hint">
          Free text plus <code>policy:</code>, <code>portal:</code>, <code>dev:</code> and{' '}
          <code>catalogue:</code> (quote values with spaces), and <code>age:&gt;3d</code> or{' '}
          <code>age:&lt;12h</code> (m, h, d, w). Example:{' '}
          <code>policy:&quot;Free Tier&quot; age:&gt;3d portal:prod dev:alice</code>
        </p>
      </div>
    </Modal>
  )
}
