import { useEffect, useRef, type ReactNode, type KeyboardEvent } from 'react'

interface ModalProps {
  /** The dialog's accessible name. */
  label: string
  onClose(): void
  children: ReactNode
  /** `drawer` slides in from the right (the outbox); `dialog` is centred. */
  variant?: 'dialog' | 'drawer'
  size?: 'small' | 'medium' | 'large'
  closeOnBackdrop?: boolean
}

/** Open dialogs, innermost last: Escape closes only the top one. */
const openModals: symbol[] = []

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'

/** A modal dialog: focus moves in and back out, Tab stays inside, Escape closes. */
export function Modal({
  label,
  onClose,
  children,
  variant = 'dialog',
  size = 'medium',
  closeOnBackdrop = false
}: ModalProps) {
  const panel = useRef<HTMLDivElement>(null)
  const closeRef = useRef(onClose)
  useEffect(() => {
    closeRef.current = onClose
  }, [onClose])

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const root = panel.current
    const first =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>(focusable) ??
      root
    first?.focus()
    const entry = Symbol('modal')
    openModals.push(entry)
    // On the window, not the panel: focus may have left it (a button that became disabled).
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || openModals[openModals.length - 1] !== entry) return
      event.preventDefault()
      closeRef.current()
    }
    window.addEventListener('keydown', onEscape)
    return () => {
      window.removeEventListener('keydown', onEscape)
      openModals.splice(openModals.indexOf(entry), 1)
      // Unless what closed it moved focus on already (a decision: into the list).
      const active = document.activeElement
      if (!active || active === document.body || root?.contains(active)) previous?.focus()
    }
  }, [])

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Tab' || !panel.current) return
    const items = [...panel.current.querySelectorAll<HTMLElement>(focusable)]
    const first = items[0]
    const last = items[items.length - 1]
    if (!first || !last) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return (
    <div
      className={`modal-backdrop modal-backdrop-${variant}`}
      onMouseDown={(event) => {
        if (closeOnBackdrop && event.target === event.currentTarget) onClose()
      }}
    >
      <div
        ref={panel}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        className={`modal modal-${variant} modal-${size}`}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
    </div>
  )
}

interface ModalHeaderProps {
  title: string
  onClose(): void
  children?: ReactNode
}

export function ModalHeader({ title, onClose, children }: ModalHeaderProps) {
  return (
    // A div, not <header>: inside a dialog that would be a second banner landmark.
    <div className="modal-header">
      <h2>{title}</h2>
      {children}
      <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
        ×
      </button>
    </div>
  )
}
