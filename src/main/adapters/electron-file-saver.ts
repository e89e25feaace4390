import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import type { FileSaver } from '../core/ports'

/** The slice of Electron's dialog this adapter uses (injected, so tests run in Node). */
export interface SaveDialogOptions {
  title: string
  defaultPath: string
  filters: { name: string; extensions: string[] }[]
}
type SaveDialogAnswer = Promise<{ canceled: boolean; filePath?: string }>
export interface SaveDialog<Window> {
  showSaveDialog(window: Window, options: SaveDialogOptions): SaveDialogAnswer
  showSaveDialog(options: SaveDialogOptions): SaveDialogAnswer
}

export interface ElectronFileSaverOptions<Window> {
  dialog: SaveDialog<Window>
  /** The window the dialog is modal to: the focused one, else the app's window, if any. */
  parent: () => Window | null
  /** Where the dialog starts (the user's Documents or Downloads folder). */
  startDir: () => string
}

/**
 * Writes `contents` to `target` so that no reader ever sees half a file: into a new file
 * beside it (owner-only, 0o600: an export names developers and decisions), flushed, then
 * renamed over the target, which therefore ends 0o600 too.
 */
export async function writeFileAtomically(target: string, contents: string): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`
  )
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(contents, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, target)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

/** The save dialog behind every export (docs/architecture.md#export). */
export function createElectronFileSaver<Window>(
  options: ElectronFileSaverOptions<Window>
): FileSaver {
  return {
    async save(request) {
      const dialogOptions: SaveDialogOptions = {
        title: request.title,
        defaultPath: path.join(options.startDir(), request.defaultName),
        filters: request.filters
      }
      const parent = options.parent()
      const choice = await (parent === null
        ? options.dialog.showSaveDialog(dialogOptions)
        : options.dialog.showSaveDialog(parent, dialogOptions))
      if (choice.canceled || !choice.filePath) return { saved: false }
      await writeFileAtomically(choice.filePath, request.contents)
      return { saved: true, path: choice.filePath }
    }
  }
}
