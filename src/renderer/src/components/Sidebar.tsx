import { useMemo, useState, type KeyboardEvent } from 'react'
import type { ProfileSummary } from '../../../shared/domain'
import { inOrder } from '../lib/profile-order'
import { useNavStore } from '../store/nav-store'
import { useProfileOrderStore } from '../store/profile-order-store'
import { useProfilesStore } from '../store/profiles-store'
import { ConnectivityDot, connectivityLabels } from './ConnectivityDot'
import { NavCount, NavEntryAction } from './NavEntryParts'
import { SavedViews } from './SavedViews'

interface ProfileEntryProps {
  profile: ProfileSummary
  current: boolean
  /** Moves this portal to an index in the sidebar (Alt+Up/Down). */
  moveTo(index: number): void
  index: number
  dragging: boolean
  onDragStart(): void
  onDrop(): void
  onDragEnd(): void
}

function ProfileEntry({
  profile,
  current,
  moveTo,
  index,
  dragging,
  onDragStart,
  onDrop,
  onDragEnd
}: ProfileEntryProps) {
  const showScope = useNavStore((state) => state.showScope)
  const openDialog = useNavStore((state) => state.openDialog)
  const describedBy = `profile-status-${profile.id}`
  const pending =
    profile.pendingCount === null ? 'pending count unknown' : `${profile.pendingCount} pending`
  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return
    event.preventDefault()
    const button = event.currentTarget
    moveTo(index + (event.key === 'ArrowUp' ? -1 : 1))
    // Re-inserting the entry takes focus off it: give it back once React has moved it.
    requestAnimationFrame(() => button.focus())
  }
  return (
    <li
      className={`nav-entry${current ? ' current' : ''}${dragging ? ' dragging' : ''}`}
      draggable
      data-profile-id={profile.id}
      onDragStart={(event) => {
        event.dataTransfer.effectAllowed = 'move'
        event.dataTransfer.setData('text/plain', profile.name)
        onDragStart()
      }}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault()
        onDrop()
      }}
      onDragEnd={onDragEnd}
    >
      <button
        type="button"
        className="nav-button"
        aria-label={profile.name}
        aria-describedby={describedBy}
        aria-current={current ? 'page' : undefined}
        title={profile.connectivity.lastError?.message}
        onClick={() => showScope(profile.id)}
        onKeyDown={onKeyDown}
      >
        <ConnectivityDot state={profile.connectivity.state} />
        <span className="nav-name" title={profile.name}>
          {profile.name}
        </span>
        {profile.demo && <span className="tag">demo</span>}
        {profile.allowHttp && profile.baseUrl.startsWith('http://') && (
          <span className="tag tag-warning" title="Requests and the API key travel unencrypted">
            http
          </span>
        )}
        <NavCount count={profile.pendingCount} />
        <span id={describedBy} className="visually-hidden">
          {`${pending}, ${connectivityLabels[profile.connectivity.state]}`}
        </span>
      </button>
      <NavEntryAction
        label={`Edit portal ${profile.name}`}
        title="Edit portal"
        onClick={() => openDialog({ kind: 'profile-editor', profileId: profile.id })}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M4 17.3V20h2.7l8-8-2.7-2.7-8 8ZM17.7 9a.7.7 0 0 0 0-1l-1.7-1.7a.7.7 0 0 0-1 0l-1.3 1.3 2.7 2.7L17.7 9Z" />
        </svg>
      </NavEntryAction>
    </li>
  )
}

export function Sidebar() {
  const unordered = useProfilesStore((state) => state.profiles)
  const order = useProfileOrderStore((state) => state.order)
  const move = useProfileOrderStore((state) => state.move)
  const profiles = useMemo(() => inOrder(unordered, order), [unordered, order])
  const ids = profiles.map((profile) => profile.id)
  const [dragged, setDragged] = useState<string | null>(null)
  const scope = useNavStore((state) => state.profileId)
  const showScope = useNavStore((state) => state.showScope)
  const openDialog = useNavStore((state) => state.openDialog)
  const known = profiles.filter((profile) => profile.pendingCount !== null)
  const total = known.reduce((sum, profile) => sum + (profile.pendingCount ?? 0), 0)
  return (
    <nav className="sidebar" aria-label="Portals">
      <ul className="nav-list">
        <li className={scope === null ? 'nav-entry current' : 'nav-entry'}>
          <button
            type="button"
            className="nav-button"
            aria-label="All portals"
            aria-describedby="all-portals-count"
            aria-current={scope === null ? 'page' : undefined}
            onClick={() => showScope(null)}
          >
            <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M4 5h16v4H4V5Zm0 5h16v4H4v-4Zm0 5h16v4H4v-4Z" />
            </svg>
            <span className="nav-name">All portals</span>
            <NavCount count={known.length > 0 ? total : null} />
            <span id="all-portals-count" className="visually-hidden">
              {`${total} pending`}
            </span>
          </button>
        </li>
      </ul>
      <h2 className="nav-heading">Portals</h2>
      <ul className="nav-list">
        {profiles.map((profile, index) => (
          <ProfileEntry
            key={profile.id}
            profile={profile}
            current={scope === profile.id}
            index={index}
            moveTo={(target) => move(ids, profile.id, target)}
            dragging={dragged === profile.id}
            onDragStart={() => setDragged(profile.id)}
            onDrop={() => {
              if (dragged) move(ids, dragged, index)
              setDragged(null)
            }}
            onDragEnd={() => setDragged(null)}
          />
        ))}
      </ul>
      <button
        type="button"
        className="button ghost add-portal"
        onClick={() => openDialog({ kind: 'profile-editor', profileId: null })}
      >
        + Add a portal
      </button>
      <SavedViews />
    </nav>
  )
}
