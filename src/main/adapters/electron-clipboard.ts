import type { Clipboard } from '../core/ports'

/** The slice of Electron's clipboard module this adapter uses (injected, so tests run in Node). */
export interface ElectronClipboardModule<Item> {
  clipboard: {
    write(items: Item[]): Promise<void>
    readText(): Promise<string>
    /** `selection` is Linux's PRIMARY selection. */
    clear(type?: 'clipboard' | 'selection'): void
  }
  ClipboardItem: new (payloads: Record<string, string | Blob>) => Item
}

/** Electron's name for a raw platform clipboard format. */
export const osFormat = (name: string): string =>
  `electron application/osclipboard;format="${name}"`

/**
 * A Clipboard over Electron's: the text and its raw formats go in one ClipboardItem, which
 * Electron commits atomically (separate writes would each replace the clipboard). On Linux a
 * clear also empties the PRIMARY selection: a key the user selected in the dialog sits there too,
 * a middle click away from being pasted.
 */
export function createElectronClipboard<Item>(
  electron: ElectronClipboardModule<Item>,
  platform: NodeJS.Platform = process.platform
): Clipboard {
  return {
    async write(text, formats) {
      const payloads: Record<string, string | Blob> = { 'text/plain': text }
      for (const [name, bytes] of formats) payloads[osFormat(name)] = new Blob([bytes])
      await electron.clipboard.write([new electron.ClipboardItem(payloads)])
    },
    readText: () => electron.clipboard.readText(),
    async clear() {
      electron.clipboard.clear()
      if (platform === 'linux') electron.clipboard.clear('selection')
    }
  }
}
