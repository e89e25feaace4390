import { onPush } from './api'
import { useDecisionsStore } from './store/decisions-store'
import { useKeysStore } from './store/keys-store'
import { useNavStore } from './store/nav-store'
import { useOutboxStore } from './store/outbox-store'
import { useProfilesStore } from './store/profiles-store'
import { useRequestsStore } from './store/requests-store'
import { useSettingsStore } from './store/settings-store'

/** The one place that listens to main's pushes and turns them into store actions. */
export function subscribePushEvents(): () => void {
  const unsubscribers = [
    onPush('profiles:changed', (profiles) => {
      useProfilesStore.getState().setProfiles(profiles)
      const nav = useNavStore.getState()
      if (nav.profileId && !profiles.some((profile) => profile.id === nav.profileId)) {
        nav.showScope(null)
      }
    }),
    onPush('requests:changed', ({ profileIds }) => {
      useRequestsStore.getState().reloadIfAffected(profileIds)
    }),
    onPush('outbox:changed', (items) => {
      useOutboxStore.getState().setItems(items)
      useDecisionsStore.getState().reloadIfShown()
    }),
    onPush('keys:changed', (notices) => {
      useKeysStore.getState().setNotices(notices)
    }),
    onPush('connectivity:changed', ({ profileId, connectivity }) => {
      useProfilesStore.getState().setConnectivity(profileId, connectivity)
    }),
    onPush('notification:clicked', (ref) => {
      // The request must be visible in the list it lands in, so drop any search.
      useRequestsStore.getState().setQuery('')
      useNavStore.getState().showRequest(ref)
    })
  ]
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe()
  }
}

/** First read of everything the pushes keep current afterwards. */
export function loadInitialState(): void {
  void useProfilesStore.getState().load()
  void useOutboxStore.getState().load()
  void useKeysStore.getState().load()
  void useSettingsStore.getState().load()
}
