import { useState } from 'react'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { ErrorNotice } from './ErrorNotice'

/** First run: no portal saved yet. */
export function Welcome() {
  const openDialog = useNavStore((state) => state.openDialog)
  const showScope = useNavStore((state) => state.showScope)
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  async function startDemo() {
    setStarting(true)
    setError(null)
    const result = await call((k) => k['demo:start']())
    setStarting(false)
    if (!result.ok) {
      setError(result.error)
      return
    }
    await useProfilesStore.getState().load()
    showScope(result.value.id)
  }

  return (
    <main className="welcome">
      <div className="welcome-card">
        <h1>Welcome to Keygate</h1>
        <p className="lead">
          Triage the key requests of your Tyk Developer Portals from one inbox, online or offline.
          Approvals and declines wait safely in an outbox until the portal can be reached.
        </p>
        <div className="welcome-actions">
          <button
            type="button"
            className="button primary large"
            disabled={starting}
            onClick={() => void startDemo()}
          >
            {starting ? 'Starting the demo portal…' : 'Try the demo portal'}
          </button>
          <button
            type="button"
            className="button large"
            onClick={() => openDialog({ kind: 'profile-editor', profileId: null })}
          >
            Add a portal
          </button>
        </div>
        <p className="hint">
          The demo runs a local stand-in for a Tyk Dashboard with sample developers and requests. To
          connect a real portal you need its Dashboard URL and the API key of a Dashboard user with
          the portal permission.
        </p>
        {error && <ErrorNotice error={error} onRetry={() => void startDemo()} />}
      </div>
    </main>
  )
}
