import { AppFailure } from '../../../shared/result'
import type { Clipboard, Clock, Logger } from '../ports'
import { concealedFormats } from './concealed-formats'

/** How long a copied credential may stay on the clipboard. */
export const CLIPBOARD_CLEAR_MS = 45_000

export interface KeyClipboard {
  /** Puts `text` on the clipboard, marked concealed, and clears it after the delay. */
  copy(text: string): Promise<{ clearAfterSec: number }>
  /** Clears the clipboard now if it still holds what was copied last (on quit). */
  clearNow(): Promise<void>
}

/**
 * Copies issued credentials for the key dialog. The clipboard is cleared only while it still
 * holds the value Keygate put there, so whatever the user copied since is kept.
 */
export function createKeyClipboard(deps: {
  clipboard: Clipboard
  clock: Clock
  logger: Logger
  platform: NodeJS.Platform
  clearAfterMs?: number
}): KeyClipboard {
  const clearAfterMs = deps.clearAfterMs ?? CLIPBOARD_CLEAR_MS
  const formats = concealedFormats(deps.platform)
  let held: { text: string; cancel: () => void } | null = null

  async function clearIfHeld(entry: { text: string; cancel: () => void }): Promise<void> {
    entry.cancel()
    if (held === entry) held = null
    if ((await deps.clipboard.readText()) === entry.text) await deps.clipboard.clear()
  }

  return {
    async copy(text) {
      if (held) held.cancel()
      held = null
      try {
        await deps.clipboard.write(text, formats)
      } catch (e) {
        deps.logger.warn('Could not write to the clipboard', { error: String(e) })
        throw new AppFailure(
          'INTERNAL',
          'Could not copy to the clipboard (another application may be holding it): try Copy again.',
          true
        )
      }
      const entry = {
        text,
        cancel: deps.clock.setTimeout(() => {
          clearIfHeld(entry).catch((e: unknown) => {
            deps.logger.warn('Could not clear a copied key from the clipboard', {
              error: String(e)
            })
          })
        }, clearAfterMs)
      }
      held = entry
      return { clearAfterSec: Math.round(clearAfterMs / 1000) }
    },
    async clearNow() {
      if (held) await clearIfHeld(held)
    }
  }
}
