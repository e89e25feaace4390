import { useNavStore } from '../store/nav-store'
import { BatchDialog } from './BatchDialog'
import { BulkConfirmDialog } from './BulkConfirmDialog'
import { CreateRequestDialog } from './CreateRequestDialog'
import { DeclineDialog } from './DeclineDialog'
import { OutboxPanel } from './OutboxPanel'
import { ProfileEditor } from './ProfileEditor'
import { SettingsDialog } from './SettingsDialog'
import { ShortcutsDialog } from './ShortcutsDialog'

/** Renders the one dialog the navigation store has open. */
export function DialogHost() {
  const dialog = useNavStore((state) => state.dialog)
  if (!dialog) return null
  switch (dialog.kind) {
    case 'profile-editor':
      return <ProfileEditor key={dialog.profileId ?? 'new'} profileId={dialog.profileId} />
    case 'create-request':
      return <CreateRequestDialog />
    case 'decline':
      return <DeclineDialog target={dialog.ref} />
    case 'outbox':
      return <OutboxPanel />
    case 'shortcuts':
      return <ShortcutsDialog />
    case 'settings':
      return <SettingsDialog />
    case 'bulk-confirm':
      return <BulkConfirmDialog decision={dialog.decision} />
    case 'batch-results':
      return <BatchDialog />
  }
}
