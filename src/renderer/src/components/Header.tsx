import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { useProfilesStore } from '../store/profiles-store'

export function Header() {
  const activeCount = useOutboxStore((state) => state.activeCount)
  const hasProfiles = useProfilesStore((state) => state.profiles.length > 0)
  const openDialog = useNavStore((state) => state.openDialog)
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M7 14a5 5 0 1 1 4.6-7H22v4h-2v3h-4v-3h-4.4A5 5 0 0 1 7 14Zm0-3a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z" />
        </svg>
        <span>Keygate</span>
      </div>
      <div className="header-actions">
        {hasProfiles && (
          <button
            type="button"
            className="button"
            onClick={() => openDialog({ kind: 'create-request' })}
          >
            New key request
          </button>
        )}
        <button type="button" className="button" onClick={() => openDialog({ kind: 'settings' })}>
          Settings
        </button>
        <button
          type="button"
          className="button outbox-button"
          aria-label={`Outbox, ${activeCount} not yet sent`}
          onClick={() => openDialog({ kind: 'outbox' })}
        >
          Outbox
          <span
            className={activeCount > 0 ? 'count-badge active' : 'count-badge'}
            data-testid="outbox-badge"
          >
            {activeCount}
          </span>
        </button>
      </div>
    </header>
  )
}
