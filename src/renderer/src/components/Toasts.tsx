import { useState } from 'react'
import { useToastStore } from '../store/toast-store'

/** One stack: the newest message, and a count of the others that opens them all. */
export function Toasts() {
  const toasts = useToastStore((state) => state.toasts)
  const dismiss = useToastStore((state) => state.dismiss)
  const [expanded, setExpanded] = useState(false)
  const others = toasts.length - 1
  const shown = expanded || others <= 0 ? toasts : toasts.slice(-1)
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {shown.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} data-testid="toast">
          <span>{toast.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss message"
            onClick={() => dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
      {others > 0 && (
        <div className="toast-more">
          <button
            type="button"
            className="button small"
            aria-expanded={expanded}
            onClick={() => setExpanded(!expanded)}
          >
            {expanded
              ? 'Show the newest only'
              : `${others} more ${others === 1 ? 'message' : 'messages'}`}
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => {
              for (const toast of toasts) dismiss(toast.id)
              setExpanded(false)
            }}
          >
            Dismiss all
          </button>
        </div>
      )}
    </div>
  )
}
