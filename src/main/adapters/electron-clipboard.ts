import type { Clipboard } from '../core/ports'

/** The slice of Electron's clipboard module this adapter uses (injected, so tests run in Node). */
export interface ElectronClipboardModule<Item> {
  clipboard: {
    write(items: Item[]): Promise<void>
    readText(): Promise<string>
    clear(): void
  }
  ClipboardItem: new (payloads: Record<string, string | Blob>) => Item
}

/** Electron's name for a raw platform clipboard format. */
export const osFormat = (name: string): string =>
  `electron application/osclipboard;format="${name}"`

/**
 * A Clipboard over Electron's: the text and its raw formats go in one ClipboardItem, which
 * Electron commits atomically (separate writes would each replace the clipboard).
 */
export function createElectronClipboard<Item>(electron: ElectronClipboardModule<Item>): Clipboard {
  return {
    async write(text, formats) {
      const payloads: Record<string, string | Blob> = { 'text/plain': text }
      for (const [name, bytes] of formats) payloads[osFormat(name)] = new Blob([bytes])
      await electron.clipboard.write([new electron.ClipboardItem(payloads)])
    },
    readText: () => electron.clipboard.readText(),
    async clear() {
      electron.clipboard.clear()
    }
  }
}
