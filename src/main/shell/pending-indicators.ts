import { app } from 'electron'
import type { PushMessage } from '../../shared/ipc'
import type { AppTray } from './tray'
import { totalPending } from './pending-count'

/**
 * Keeps the tray tooltip and the app badge (dock, Unity launcher; a no-op where unsupported) on
 * the total pending count, from `profiles:changed` pushes.
 */
export function pendingIndicators(tray: AppTray | null): (message: PushMessage) => void {
  let shown: number | null = null
  return (message) => {
    if (message.event !== 'profiles:changed') return
    const total = totalPending(message.payload)
    if (total === shown) return
    shown = total
    tray?.setPending(total)
    app.setBadgeCount(total)
  }
}
