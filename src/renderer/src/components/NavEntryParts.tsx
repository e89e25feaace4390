import type { ReactNode } from 'react'

/**
 * The count at the end of a sidebar entry, "–" while unknown. Hidden from screen readers: each
 * entry says its count in its own label or description.
 */
export function NavCount({ count, testId }: { count: number | null; testId?: string }) {
  return (
    <span className="nav-count" data-testid={testId} aria-hidden="true">
      {count === null ? '–' : count.toLocaleString()}
    </span>
  )
}

interface NavEntryActionProps {
  label: string
  title: string
  onClick(): void
  children: ReactNode
}

/** The small button beside a sidebar entry: edit a portal, remove a saved view. */
export function NavEntryAction({ label, title, onClick, children }: NavEntryActionProps) {
  return (
    <button
      type="button"
      className="icon-button nav-edit"
      aria-label={label}
      title={title}
      onClick={onClick}
    >
      {children}
    </button>
  )
}
