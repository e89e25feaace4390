import { useProfilesStore } from '../store/profiles-store'
import { DialogHost } from './DialogHost'
import { ErrorNotice } from './ErrorNotice'
import { Header } from './Header'
import { InboxView } from './InboxView'
import { KeyDialog } from './KeyDialog'
import { KeyNotices } from './KeyNotices'
import { Sidebar } from './Sidebar'
import { Toasts } from './Toasts'
import { UndoToast } from './UndoToast'
import { Welcome } from './Welcome'

function Body() {
  const phase = useProfilesStore((state) => state.phase)
  const error = useProfilesStore((state) => state.error)
  const count = useProfilesStore((state) => state.profiles.length)
  const load = useProfilesStore((state) => state.load)
  if (phase === 'loading') {
    return (
      <main className="splash" role="status">
        <span className="spinner" aria-hidden="true" />
        Loading Keygate…
      </main>
    )
  }
  if (phase === 'error' && error && count === 0) {
    return (
      <main className="splash">
        <ErrorNotice error={error} onRetry={() => void load()} />
      </main>
    )
  }
  if (count === 0) return <Welcome />
  return (
    <div className="workspace">
      <Sidebar />
      <InboxView />
    </div>
  )
}

export function App() {
  return (
    <div className="app">
      <Header />
      <Body />
      <DialogHost />
      <KeyDialog />
      <div className="corner">
        <KeyNotices />
        <UndoToast />
        <Toasts />
      </div>
    </div>
  )
}
