import type { AppError } from '../../../shared/result'

interface ErrorNoticeProps {
  error: AppError
  onRetry?: () => void
  compact?: boolean
}

/** An error as the sentence main wrote for it, with Retry when there is something to retry. */
export function ErrorNotice({ error, onRetry, compact = false }: ErrorNoticeProps) {
  return (
    <div className={compact ? 'error-notice compact' : 'error-notice'} role="alert">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}
