import { Menu, Tray, nativeImage } from 'electron'
import { pendingTooltip } from './pending-count'

export interface AppTray {
  setPending(total: number): void
  destroy(): void
}

/**
 * Tray icon showing the pending total in its tooltip (and as the title where the platform shows
 * one). Some Linux trays never report clicks, so the context menu offers the same actions.
 */
export function createAppTray(options: {
  iconPath: string
  onShow: () => void
  onQuit: () => void
}): AppTray {
  // createFromPath also picks up the @2x variant beside the file for HiDPI trays.
  const tray = new Tray(nativeImage.createFromPath(options.iconPath))
  tray.setToolTip(pendingTooltip(0))
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Keygate', click: options.onShow },
      { type: 'separator' },
      { label: 'Quit Keygate', click: options.onQuit }
    ])
  )
  tray.on('click', options.onShow)
  return {
    setPending(total) {
      tray.setToolTip(pendingTooltip(total))
      if (process.platform === 'darwin') tray.setTitle(total > 0 ? String(total) : '')
    },
    destroy: () => tray.destroy()
  }
}
