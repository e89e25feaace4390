import type { ReactElement } from 'react'
import type { AppError } from '../../../shared/result'
import { ErrorNotice } from './ErrorNotice'

/**
 * What a list shows instead of its rows: a spinner on its first load, or the error with Retry
 * when nothing could be loaded. Null once there is something (maybe empty) to show.
 */
export function listPlaceholder(
  phase: 'idle' | 'loading' | 'ready' | 'error',
  error: AppError | null,
  retry: () => void,
  what: string
): ReactElement | null {
  if (phase === 'idle' || phase === 'loading') {
    return (
      <div className="list-state" role="status">
        <span className="spinner" aria-hidden="true" />
        Loading {what}…
      </div>
    )
  }
  if (phase === 'error' && error) {
    return (
      <div className="list-state">
        <ErrorNotice error={error} onRetry={retry} />
      </div>
    )
  }
  return null
}
