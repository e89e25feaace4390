import type { ListSource } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { useNow } from '../hooks/use-now'
import { clockTime, parseTime, relativeTime } from '../lib/format'
import { useProfilesStore, profileName } from '../store/profiles-store'

function lead(error: AppError): string {
  switch (error.code) {
    case 'OFFLINE':
    case 'TIMEOUT':
      return 'Offline'
    case 'AUTH_REJECTED':
    case 'FORBIDDEN':
      return 'API key problem'
    case 'TLS':
      return 'Certificate problem'
    default:
      return 'Portal problem'
  }
}

function headline(source: ListSource, now: number): string {
  const fetched = parseTime(source.fetchedAt)
  if (!source.stale) return 'Last refresh failed'
  if (fetched === null) {
    return source.error
      ? `${lead(source.error)} — no saved list for this portal yet`
      : 'Not synced yet'
  }
  const from = `the list from ${clockTime(source.fetchedAt, now)} (last synced ${relativeTime(fetched, now)})`
  return source.error ? `${lead(source.error)} — showing ${from}` : `Showing ${from}`
}

interface StaleBannersProps {
  sources: readonly ListSource[]
  /** Prefix each banner with its portal's name (the merged inbox). */
  named: boolean
  onRetry(): void
}

/** One banner per list source that is stale or failed to refresh. */
export function StaleBanners({ sources, named, onRetry }: StaleBannersProps) {
  const now = useNow(30_000)
  const profiles = useProfilesStore((state) => state.profiles)
  const troubled = sources.filter((source) => source.stale || source.error)
  if (troubled.length === 0) return null
  return (
    <div className="banners">
      {troubled.map((source) => (
        <div
          key={`${source.profileId}-${source.status}`}
          className={source.error ? 'banner banner-warning' : 'banner'}
          role="status"
          data-testid="stale-banner"
          data-profile-id={source.profileId}
        >
          <div className="banner-text">
            <strong>
              {named ? `${profileName(profiles, source.profileId)}: ` : ''}
              {headline(source, now)}
            </strong>
            {source.error && <span className="banner-detail">{source.error.message}</span>}
          </div>
          <button type="button" className="button small" onClick={onRetry}>
            Retry
          </button>
        </div>
      ))}
    </div>
  )
}
